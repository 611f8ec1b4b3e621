/**
 * How the live figures' push stream changes what the console holds (pure, tested in live-apply.test.ts). Applying an
 * event twice changes nothing more than applying it once (a stream shared between tabs may deliver one twice).
 */
import type { LiveFigures } from '../../api/types';
import type { StreamEvent } from '../../components/event-stream';

export interface LiveStatusList {
  readonly items: LiveFigures[];
}

/**
 * A snapshot replaces every site; a site's `figures` replace that site's unless they are older (a lower version
 * than what is shown), so a late event never steps the screen back. Heartbeats change nothing.
 */
export function applyLiveStatus(
  current: LiveStatusList | undefined,
  batch: readonly StreamEvent[],
): LiveStatusList | undefined {
  let items = current?.items;
  let changed = false;
  for (const { event, data } of batch) {
    if (event === 'snapshot') {
      items = (data as LiveStatusList).items;
      changed = true;
    } else if (event === 'figures') {
      const figures = data as LiveFigures;
      const shown = items?.find((item) => item.siteId === figures.siteId);
      if (shown && shown.version >= figures.version) continue;
      items = shown
        ? (items ?? []).map((item) => (item.siteId === figures.siteId ? figures : item))
        : [...(items ?? []), figures].sort((a, b) => a.siteId.localeCompare(b.siteId));
      changed = true;
    }
  }
  return changed && items ? { items } : current;
}
