// A virtual list: a spacer as tall as every row, and only the rows in view (plus a margin) in the DOM,
// re-used as the list scrolls and moved with transforms, so 5,000 rows cost what 20 do.
export class VirtualList {
  constructor(container, rowHeight, renderRow, onPick) {
    this.box = container; this.h = rowHeight; this.render = renderRow; this.items = [];
    this.box.textContent = "";
    this.spacer = document.createElement("div");
    this.box.appendChild(this.spacer);
    this.pool = []; this.queued = false;
    this.box.addEventListener("scroll", () => this.schedule(), { passive: true });
    window.addEventListener("resize", () => this.schedule());
    this.box.addEventListener("click", (e) => {
      const row = e.target.closest(".row");
      if (row && row.dataset.i !== undefined) onPick(this.items[+row.dataset.i]);
    });
  }
  setItems(items) { this.items = items; this.pool.forEach((r) => { delete r.dataset.i; }); this.spacer.style.height = items.length * this.h + "px"; this.box.scrollTop = 0; this.draw(); }
  schedule() { if (!this.queued) { this.queued = true; requestAnimationFrame(() => { this.queued = false; this.draw(); }); } }
  draw() {
    const top = this.box.scrollTop, height = this.box.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / this.h) - 5);
    const last = Math.min(this.items.length, Math.ceil((top + height) / this.h) + 5);
    const need = last - first;
    while (this.pool.length < need) {
      const row = document.createElement("div"); row.className = "row"; this.box.appendChild(row); this.pool.push(row);
    }
    for (let k = 0; k < this.pool.length; k++) {
      const row = this.pool[k], i = first + k;
      if (k >= need) { if (row.dataset.i !== undefined) { row.style.display = "none"; row.textContent = ""; delete row.dataset.i; } continue; }
      row.style.display = "";
      if (row.dataset.i !== String(i)) { row.dataset.i = i; this.render(row, this.items[i]); }
      row.style.transform = "translateY(" + i * this.h + "px)";
    }
  }
}
