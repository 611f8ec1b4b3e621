/**
 * A part of a page whose code loads apart from the page: React.lazy plus `preload()`, so the page can fetch the part
 * while the operator is still busy with what is on screen, and the part then shows the moment it is wanted. The
 * module is asked for once, however often preload and render ask, and asked again only after a failed load.
 */
import { type ComponentType, lazy } from 'react';

export type LazyPart<P> = ReturnType<typeof lazy<ComponentType<P>>> & { preload: () => Promise<unknown> };

export function lazyPart<M, P>(load: () => Promise<M>, pick: (module: M) => ComponentType<P>): LazyPart<P> {
  let loading: Promise<M> | undefined;
  const preload = () => {
    // A failed load (the network dropped) is forgotten: the next preload or first render asks again.
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  const part = lazy(() => preload().then((module) => ({ default: pick(module) })));
  return Object.assign(part, { preload });
}
