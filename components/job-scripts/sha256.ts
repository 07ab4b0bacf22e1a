import { createHash } from "crypto";

/** Hex SHA-256 of bytes: the identity of an uploaded artifact. */
export function sha256(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}
