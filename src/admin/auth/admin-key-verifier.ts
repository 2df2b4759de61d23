import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AppConfig } from '../../config/env.schema.js';
import { secretList } from '../../config/load-config.js';

/** First 12 hex digits of the key's SHA-256: identifies a key in logs and the audit trail without revealing it. */
export function keyFingerprint(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 12);
}

/**
 * Checks admin API keys (ADMIN_API_KEYS). Keys are compared as SHA-256 digests with
 * timingSafeEqual against every configured key, so neither the length nor the matching prefix
 * of a guess shows in the response time. With no key configured nothing is accepted.
 */
@Injectable()
export class AdminKeyVerifier implements OnModuleInit {
  private readonly logger = new Logger('AdminApi');
  private readonly digests: Buffer[];
  private readonly fingerprints: string[];

  constructor(@Inject(AppConfig) config: AppConfig) {
    const keys = secretList(config.ADMIN_API_KEYS);
    this.digests = keys.map((key) => createHash('sha256').update(key, 'utf8').digest());
    this.fingerprints = keys.map(keyFingerprint);
  }

  onModuleInit(): void {
    if (this.digests.length === 0) {
      this.logger.warn('ADMIN_API_KEYS is not set: the admin API, /admin/queues and /metrics answer 401 to every request');
    } else {
      this.logger.log(`admin API enabled with ${this.digests.length} key(s), fingerprints ${this.fingerprints.join(', ')}`);
    }
  }

  /** The fingerprint of the key presented in the request, or null when there is none or it is wrong. */
  authenticate(headers: IncomingHttpHeaders, options: { allowBasic?: boolean } = {}): string | null {
    const presented = presentedKey(headers.authorization, options.allowBasic ?? false);
    if (presented === null) return null;
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let match = -1;
    this.digests.forEach((candidate, index) => {
      if (timingSafeEqual(candidate, digest) && match < 0) match = index;
    });
    return match < 0 ? null : this.fingerprints[match];
  }
}

/** `Bearer <key>` (the scheme is case-insensitive, the key is not); `Basic` with the key as password for browsers. */
function presentedKey(header: string | undefined, allowBasic: boolean): string | null {
  if (!header) return null;
  const match = /^\s*(\S+)\s+(.+?)\s*$/.exec(header);
  if (!match) return null;
  const scheme = match[1].toLowerCase();
  if (scheme === 'bearer') return match[2];
  if (scheme === 'basic' && allowBasic) {
    const decoded = Buffer.from(match[2], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : null;
  }
  return null;
}
