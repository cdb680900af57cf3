import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/platform';
import { SITE_CSS } from './site-css';
import { STAFF_CSS } from './staff/staff-css';
import { IDLE_SCRIPT } from './staff/idle-script';
import { CITIZEN_SCRIPT, FORMS_MORE_CSS } from './citizen/forms-more-assets';
import type { RenderedPage } from './render';

/** The hds-core parts the pages use (its fonts are not shipped: the fallback stack of `--font-default` applies). */
const HDS_FILES = ['base.min.css', 'components/button/button.min.css', 'components/radio-button/radio-button.min.css', 'components/checkbox/checkbox.min.css'];

/** A file of the pages, compressed once at start-up (the style sheet shrinks about sixfold). */
export interface Asset extends RenderedPage {
  path: string;
  type: string;
}

/** `#rrggbb` a third of the way to black: the hover shade of the organisation's colour. */
function darker(hex: string): string {
  const rgb = [1, 3, 5].map((i) => Math.round(parseInt(hex.slice(i, i + 2), 16) * 0.67));
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The pages' style sheet: hds-core (served from node_modules, never a CDN),
 * the organisation's colour as CSS custom properties, and the site's own
 * rules, in one file named by its content hash so browsers may keep it.
 */
@Injectable()
export class PageAssets {
  readonly css: Asset;
  /** The staff pages' idle timeout (an enhancement: the server ends idle sessions anyway). */
  readonly idleScript: Asset;
  /** The citizen pages' enhancements (quick exit keys, the print button). */
  readonly citizenScript: Asset;
  private readonly byPath: Map<string, Asset>;

  constructor(config: AppConfig) {
    const hds = HDS_FILES.map((file) => readFileSync(require.resolve(`hds-core/lib/${file}`), 'utf8').replace(/\/\*# sourceMappingURL=.*?\*\//g, ''));
    const theme = `:root{--org-color:${config.orgColor};--color-bus:${config.orgColor};--color-bus-dark:${darker(config.orgColor)}}`;
    this.css = asset('site', 'css', 'text/css; charset=utf-8', [...hds, theme, SITE_CSS, STAFF_CSS, FORMS_MORE_CSS].join('\n'));
    this.idleScript = asset('idle', 'js', 'text/javascript; charset=utf-8', IDLE_SCRIPT);
    this.citizenScript = asset('citizen', 'js', 'text/javascript; charset=utf-8', CITIZEN_SCRIPT);
    this.byPath = new Map([this.css, this.idleScript, this.citizenScript].map((a) => [a.path, a]));
  }

  find(path: string): Asset | undefined {
    return this.byPath.get(path);
  }
}

function asset(name: string, extension: string, type: string, text: string): Asset {
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `/assets/${name}.${hash}.${extension}`, type, body, gzipped: gzipSync(body, { level: 9 }) };
}
