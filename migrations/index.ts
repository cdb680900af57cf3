import { Init1764130000000 } from './1764130000000-Init';
import { Outbox1764140000000 } from './1764140000000-Outbox';
import { Forms1764150000000 } from './1764150000000-Forms';
import { RateLimit1764160000000 } from './1764160000000-RateLimit';
import { LoginThrottle1764170000000 } from './1764170000000-LoginThrottle';
import { SubmissionReplacement1764190000000 } from './1764190000000-SubmissionReplacement';
import { Delivery1764230000000 } from './1764230000000-Delivery';
import { UnitMunicipalities1764240000000 } from './1764240000000-UnitMunicipalities';
import { Receipts1764250000000 } from './1764250000000-Receipts';
import { LegalClocks1764260000000 } from './1764260000000-LegalClocks';
import { Retention1764270000000 } from './1764270000000-Retention';
import { OutboxLease1764280000000 } from './1764280000000-OutboxLease';
import { AccessibilityFeedback1767400000000 } from './1767400000000-AccessibilityFeedback';

/** Every migration, in order. Listed explicitly: no globs. Never edit one that has landed. */
export const migrations = [
  Init1764130000000, Outbox1764140000000, Forms1764150000000, RateLimit1764160000000, LoginThrottle1764170000000, SubmissionReplacement1764190000000,
  Delivery1764230000000, UnitMunicipalities1764240000000, Receipts1764250000000, LegalClocks1764260000000, Retention1764270000000,
  OutboxLease1764280000000,
  AccessibilityFeedback1767400000000,
];
