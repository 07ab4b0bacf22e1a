import ms from "ms";
import { usageError } from "../cli/exit-codes";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** How long a preview lives after its last deployment, unless `--ttl` says otherwise. */
export const DEFAULT_PREVIEW_TTL = "3d";

/**
 * Parses a duration such as `3d`, `72h` or `2 days` (the `ms` package's syntax) into milliseconds.
 * Shorter than an hour is refused: a gc that young would collect previews being deployed right now.
 */
export function parseDuration(flag: string, raw: string | undefined): number {
  const text = (raw ?? "").trim();
  // A bare number means milliseconds to `ms`; here it is always a mistake.
  const value = /[a-z]$/i.test(text) ? ms(text as ms.StringValue) : undefined;
  if (value === undefined || !Number.isFinite(value)) {
    throw usageError(
      `[${flag}] must be a duration with a unit, such as 3d, 72h or 90m; got ${JSON.stringify(raw ?? "")}`,
    );
  }
  if (value < HOUR_MS) {
    throw usageError(`[${flag}] must be at least 1h; got ${JSON.stringify(raw ?? "")}`);
  }
  return value;
}

/** `3d`, `5h`, `12m`: the age of a stack, rounded the way `ms` rounds. */
export function formatAge(ageMs: number): string {
  return ms(Math.max(0, ageMs));
}

/**
 * The expiry written into a preview's tags: last deployment plus the time to live, rounded up to the
 * next UTC midnight. The gc runs nightly, so a finer value says nothing more, and a value that changed
 * on every push would update the tags of every resource on every push.
 */
export function previewExpiry(deployedAt: Date, ttlMs: number): string {
  const due = deployedAt.getTime() + ttlMs;
  return new Date(Math.ceil(due / DAY_MS) * DAY_MS).toISOString().replace(".000Z", "Z");
}
