/**
 * Append-only storage outside the JavaScript heap, for the memory store: the garbage collector
 * never walks what is kept here. Kept as objects, an event's seal was an object and two strings
 * of 64 characters (about 220 bytes of heap) for every collection to mark.
 */

/** Pairs of SHA-256 digests (an event's `hash` and `chain`), 64 bytes per pair, written as hex. */
export class DigestArena {
  private bytes = Buffer.allocUnsafeSlow(64 * 1024);
  /** How many pairs are stored. */
  length = 0;

  push(hash: string, chain: string): void {
    const at = this.length * 64;
    if (at + 64 > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    this.bytes.write(hash, at, 32, "hex");
    this.bytes.write(chain, at + 32, 32, "hex");
    this.length++;
  }

  hash(i: number): string {
    return this.bytes.toString("hex", i * 64, i * 64 + 32);
  }

  chain(i: number): string {
    return this.bytes.toString("hex", i * 64 + 32, i * 64 + 64);
  }
}
