// A binary min-heap over (key, tie) pairs: the balanced rule picks the least-loaded collector in
// O(log k) per case, which is what makes a million cases across hundreds of collectors take well
// under a second. Plain arrays and manual swaps: destructuring swaps allocate and were the hot spot.
export class MinHeap {
  private keys: number[] = [];
  private ties: number[] = [];
  private vals: number[] = [];

  get size(): number {
    return this.vals.length;
  }

  push(key: number, tie: number, val: number): void {
    this.keys.push(key);
    this.ties.push(tie);
    this.vals.push(val);
    this.up(this.vals.length - 1);
  }

  /** The smallest entry's key and value; only valid when size > 0. */
  topKey(): number {
    return this.keys[0]!;
  }
  topVal(): number {
    return this.vals[0]!;
  }

  /** Changes the smallest entry's key and value in place (cheaper than pop + push). */
  replaceTop(key: number, val: number): void {
    this.keys[0] = key;
    this.vals[0] = val;
    this.down(0);
  }

  pop(): void {
    const n = this.vals.length;
    if (n === 0) return;
    const k = this.keys.pop()!;
    const t = this.ties.pop()!;
    const v = this.vals.pop()!;
    if (n > 1) {
      this.keys[0] = k;
      this.ties[0] = t;
      this.vals[0] = v;
      this.down(0);
    }
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    return ka < kb || (ka === kb && this.ties[a]! < this.ties[b]!);
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a]!;
    this.keys[a] = this.keys[b]!;
    this.keys[b] = k;
    const t = this.ties[a]!;
    this.ties[a] = this.ties[b]!;
    this.ties[b] = t;
    const v = this.vals[a]!;
    this.vals[a] = this.vals[b]!;
    this.vals[b] = v;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.vals.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
