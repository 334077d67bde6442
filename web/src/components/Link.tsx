/** An in-app link: a real <a href> (new tab, copy link work), routed without a page load. */
import type { ComponentChildren } from 'preact';
import { interceptLink } from '../lib/router.js';

export function Link({ href, children, class: className, current }: { href: string; children: ComponentChildren; class?: string; current?: boolean }) {
  return (
    <a href={href} class={className} onClick={interceptLink} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}
