/**
 * The CRC-32 of two byte sequences joined, from the CRC-32 of each and the length of the
 * second, without reading any byte again: zlib's `crc32_combine`, which Node's zlib does
 * not expose. Same CRC as `zlib.crc32`, gzip and S3's `CRC32` checksum.
 *
 * Arithmetic on polynomials over GF(2) modulo the CRC polynomial, in the reflected bit
 * order the CRC uses (bit 31 holds x^0): appending `n` bytes to a message multiplies its
 * CRC register by x^(8n), so crc(A‖B) = crc(A)·x^(8·|B|) + crc(B).
 * @see https://github.com/madler/zlib/blob/develop/crc32.c (multmodp, x2nmodp)
 */

/** The CRC-32 polynomial, reflected. */
const POLYNOMIAL = 0xedb88320;
/** x^0 in the reflected representation. */
const ONE = 0x80000000;

/** a(x)·b(x) modulo the polynomial. `a` must not be zero. */
function multiply(a: number, b: number): number {
  let product = 0;
  for (let bit = ONE; ; bit >>>= 1) {
    if ((a & bit) !== 0) {
      product ^= b;
      if ((a & (bit - 1)) === 0) break;
    }
    b = b & 1 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the polynomial for k = 0..31; x^(2^32) = x modulo this polynomial, so k is taken modulo 32. */
const X_TO_TWO_TO_THE: readonly number[] = (() => {
  const table = [0x40000000]; // x^1
  for (let k = 1; k < 32; k++) table.push(multiply(table[k - 1] as number, table[k - 1] as number));
  return table;
})();

/** x^(8n) modulo the polynomial: the factor for appending n bytes. */
function shiftFactor(bytes: number): number {
  let factor = ONE;
  // n·8 = n·2^3: square-and-multiply over the bits of n, starting at x^(2^3).
  for (let n = bytes, k = 3; n > 0; n = Math.floor(n / 2), k++) {
    if (n % 2 === 1) factor = multiply(X_TO_TWO_TO_THE[k & 31] as number, factor);
  }
  return factor;
}

/**
 * CRC-32 of A followed by B, given `crcA`, `crcB` and B's length in bytes (a whole number,
 * exact up to 2^53).
 */
export function combineCrc32(crcA: number, crcB: number, lengthB: number): number {
  if (!Number.isSafeInteger(lengthB) || lengthB < 0) throw new RangeError(`lengthB must be a whole number of bytes, got ${lengthB}`);
  return (multiply(shiftFactor(lengthB), crcA >>> 0) ^ crcB) >>> 0;
}
