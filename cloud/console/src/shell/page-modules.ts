/**
 * Each page's code, loaded once. A page whose code is already here renders at once; React's lazy() would wait a
 * turn even for a module already loaded, and show the loading state for it. The boot preload (boot.ts) loads the
 * page the console opens on before the first render, so that page appears in the first pass.
 */
import { type ComponentType, createElement, type LazyExoticComponent, lazy } from 'react';
import type { PageRoute } from './routes';

const loaded = new Map<PageRoute, ComponentType>();

export function loadPage(page: PageRoute): Promise<ComponentType> {
  return page.load().then((module) => {
    loaded.set(page, module.default);
    return module.default;
  });
}

const lazies = new Map<PageRoute, LazyExoticComponent<ComponentType>>();

function lazyOf(page: PageRoute): LazyExoticComponent<ComponentType> {
  let found = lazies.get(page);
  if (!found) {
    found = lazy(() => loadPage(page).then((component) => ({ default: component })));
    lazies.set(page, found);
  }
  return found;
}

/** Shows the page: its code directly when loaded, else loaded on first render (the caller's Suspense waits). */
export function PageView({ page }: { page: PageRoute }) {
  return createElement(loaded.get(page) ?? lazyOf(page));
}
