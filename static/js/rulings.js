// The court-rulings counts while they are typed: the rates computed, a count that exceeds the one it is
// part of flagged. The rules come from the server (reports/rulings/models.py), which checks them again.
(() => {
  "use strict";

  const source = document.getElementById("rulings-rules");
  if (!source) return;
  const rules = JSON.parse(source.textContent);
  const input = (name) => document.querySelector(`[name="${CSS.escape(name)}"]`);
  const read = (name) => {
    const value = input(name)?.value.trim();
    return value === "" || value === undefined ? null : Number(value);
  };

  // As Rate.text on the server: one decimal, half up; the wording of the other cases comes from the server.
  function rateText(numerator, denominator) {
    if (denominator === 0) return rules.no_cases;
    if (numerator === null || denominator === null) return rules.not_filled;
    return `${Math.round((numerator / denominator) * 1000) / 10}%`;
  }

  function update() {
    rules.rates.forEach((rate) => {
      const out = document.querySelector(`[data-rate="${CSS.escape(rate.name)}"]`);
      if (out) out.textContent = rateText(read(rate.numerator), read(rate.denominator));
    });
    rules.bounds.forEach((bound) => {
      const part = input(bound.part);
      if (!part) return;
      const holder = part.parentElement;
      let note = holder.querySelector(`[data-bound-for="${CSS.escape(bound.whole)}"]`);
      const [p, w] = [read(bound.part), read(bound.whole)];
      const exceeds = p !== null && w !== null && p > w;
      if (exceeds && !note) {
        note = document.createElement("div");
        note.className = "form-text text-warning-emphasis bound-warning";
        note.dataset.boundFor = bound.whole;
        note.textContent = `⚠ ${bound.message}`;
        holder.append(note);
      } else if (!exceeds && note) {
        note.remove();
      }
      part.classList.toggle("border-warning", exceeds);
    });
  }

  document.addEventListener("input", (event) => {
    if (event.target.classList.contains("count-input")) update();
  });

  // "None this year": every blank count becomes 0, which is not the same as leaving it blank.
  document.querySelector("[data-fill-zeros]")?.addEventListener("click", () => {
    document.querySelectorAll(".count-input").forEach((box) => {
      if (box.value.trim() === "") {
        box.value = "0";
        box.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  });

  update();
})();
