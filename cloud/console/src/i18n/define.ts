/**
 * Console texts are written per area as one zh-CN tree and one en tree of the same shape: `defineMessages` makes a
 * missing or extra key in either language a compile error, so the console can never show a raw key.
 */
export interface MessageTree {
  readonly [key: string]: string | MessageTree;
}

export interface AreaMessages<T extends MessageTree> {
  readonly 'zh-CN': T;
  readonly en: T;
}

export function defineMessages<T extends MessageTree>(zhCN: T, en: NoInfer<T>): AreaMessages<T> {
  return { 'zh-CN': zhCN, en };
}
