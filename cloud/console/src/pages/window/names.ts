/** A venue name (site, window, ticket type) in the console's language. */
import { currentLanguage } from '../../i18n';

export function nameIn(name: { zh: string; en: string }): string {
  return currentLanguage() === 'en' ? name.en : name.zh;
}
