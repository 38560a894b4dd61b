// An edit page's safety net: nothing typed is lost to a closed tab, an expired login or a double click.
// - a warning before leaving while there are unsaved changes (beforeunload);
// - a copy of the form in localStorage, per report and section, offered back when the page is opened
//   again without it (after logging in again, for instance), and dropped once the server says "saved";
// - the save button disabled once clicked;
// - character counts under long text boxes, and the outline of a long section.
(() => {
  "use strict";

  const form = document.querySelector("form[data-editor]");
  if (!form) return;
  const key = form.dataset.draftKey;
  const status = document.querySelector("[data-dirty-status]");
  const offer = document.querySelector("[data-draft-offer]");
  let dirty = form.hasAttribute("data-unsaved");
  let submitting = false;
  let timer = null;

  const entries = () =>
    [...new FormData(form)].filter(([name]) => name !== "csrfmiddlewaretoken").map(([name, value]) => [name, String(value)]);
  // The version a draft was typed against does not make it different from what the page shows.
  const comparable = (list) => JSON.stringify(list.filter(([name]) => name !== "frame-version" && name !== "version"));

  function say(text) {
    if (status) status.textContent = text;
  }

  function keepDraft() {
    if (!key) return;
    try {
      localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), entries: entries() }));
      say("有尚未保存的修改（已在本机浏览器暂存）");
    } catch {
      say("有尚未保存的修改");
    }
  }

  function touched() {
    dirty = true;
    say("有尚未保存的修改");
    clearTimeout(timer);
    timer = setTimeout(keepDraft, 600);
  }

  form.addEventListener("input", touched);
  form.addEventListener("change", touched);
  form.addEventListener("formset:changed", touched);

  window.addEventListener("beforeunload", (event) => {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  form.addEventListener("submit", (event) => {
    if (submitting) {
      event.preventDefault();
      return;
    }
    submitting = true;
    clearTimeout(timer);
    keepDraft();
    form.querySelectorAll("[type=submit]").forEach((button) => {
      button.dataset.label = button.textContent || button.value;
      if (button.tagName === "BUTTON") button.textContent = "正在保存…";
      // Disabled after the browser has taken the submitter's value into the request.
      setTimeout(() => { button.disabled = true; });
    });
  });

  // Back to a page the browser kept in memory: the save button works again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    submitting = false;
    form.querySelectorAll("[type=submit]").forEach((button) => {
      button.disabled = false;
      if (button.tagName === "BUTTON" && button.dataset.label) button.textContent = button.dataset.label;
    });
  });

  function restore(draft) {
    const values = new Map();
    draft.entries.forEach(([name, value]) => values.set(name, [...(values.get(name) || []), value]));
    // Forms added in the browser come back first, outer lists before the lists inside them.
    draft.entries
      .filter(([name]) => name.endsWith("-TOTAL_FORMS"))
      .sort(([a], [b]) => a.split("-").length - b.split("-").length)
      .forEach(([name, value]) => {
        const prefix = name.slice(0, -"-TOTAL_FORMS".length);
        const formset = form.querySelector(`.formset[data-formset="${CSS.escape(prefix)}"]`);
        const total = form.querySelector(`[name="${CSS.escape(name)}"]`);
        while (formset && total && Number(total.value) < Number(value)) {
          window.Formsets.add(formset, { focus: false, fill: false });
        }
      });
    for (const el of form.elements) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || /-(TOTAL|INITIAL)_FORMS$/.test(el.name)) continue;
      if (el.type === "submit" || el.type === "button") continue;
      const saved = values.get(el.name);
      if (el.type === "checkbox" || el.type === "radio") el.checked = Boolean(saved && saved.includes(el.value));
      else if (saved) el.value = saved[0];
    }
    form.querySelectorAll(".formset").forEach((formset) => window.Formsets?.relayout(formset));
    form.querySelectorAll("[data-count]").forEach(count);
    outline();
    touched();
  }

  function offerDraft(draft) {
    if (!offer) return;
    const time = new Date(draft.savedAt);
    offer.querySelector("[data-draft-time]").textContent = time.toLocaleString("zh-CN", { hour12: false });
    offer.classList.remove("d-none");
    offer.querySelector("[data-draft-restore]").addEventListener("click", () => {
      restore(draft);
      offer.classList.add("d-none");
    });
    offer.querySelector("[data-draft-discard]").addEventListener("click", () => {
      localStorage.removeItem(key);
      offer.classList.add("d-none");
    });
  }

  if (key) {
    if (form.hasAttribute("data-saved")) {
      localStorage.removeItem(key);
      const url = new URL(window.location.href);
      url.searchParams.delete("saved");
      history.replaceState(null, "", url);
    } else if (dirty) {
      keepDraft();
    } else {
      let draft = null;
      try {
        draft = JSON.parse(localStorage.getItem(key) || "null");
      } catch {
        draft = null;
      }
      if (draft && comparable(draft.entries) !== comparable(entries())) offerDraft(draft);
      else if (draft) localStorage.removeItem(key);
    }
  }
  if (dirty) say("有尚未保存的修改");

  // Character counts: Chinese text is measured in characters, spaces and line breaks aside.
  function count(box) {
    let note = box.parentElement.querySelector(":scope > .char-count");
    if (!note) {
      note = document.createElement("div");
      note.className = "char-count form-text text-end";
      note.setAttribute("aria-live", "off");
      box.after(note);
    }
    note.textContent = `${[...box.value.replace(/\s/g, "")].length} 字`;
  }
  form.addEventListener("input", (event) => {
    if (event.target.matches("[data-count]")) count(event.target);
  });
  form.addEventListener("formset:added", (event) => event.target.querySelectorAll("[data-count]").forEach(count));
  form.querySelectorAll("[data-count]").forEach(count);

  // The outline of chapters and points, to find one's way in a long section.
  const list = document.querySelector("[data-outline]");
  let outlineTimer = null;
  function outline() {
    if (!list) return;
    list.replaceChildren();
    const entry = (target, label, depth) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#";
      link.className = `d-block text-truncate text-decoration-none ${depth ? "ps-3 text-body-secondary" : "fw-semibold mt-1"}`;
      link.textContent = label;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        target.scrollIntoView({ behavior: "smooth", block: "start" });
        target.querySelector("input:not([type=hidden]), textarea")?.focus({ preventScroll: true });
      });
      item.append(link);
      list.append(item);
    };
    form.querySelectorAll(".chapter-form:not(.is-deleted)").forEach((chapter) => {
      const own = (el) => el.closest(".formset-form") === chapter;
      const number = [...chapter.querySelectorAll(".form-number")].find(own)?.textContent || "";
      const title = [...chapter.querySelectorAll(".form-title")].find(own)?.textContent || "";
      entry(chapter, `${number} ${title}`.trim(), 0);
      chapter.querySelectorAll(".point-form:not(.is-deleted)").forEach((point) => {
        const mine = (el) => el.closest(".formset-form") === point;
        const pointNumber = [...point.querySelectorAll(".form-number")].find(mine)?.textContent || "";
        const pointTitle = [...point.querySelectorAll(".form-title")].find(mine)?.textContent || "";
        entry(point, `${pointNumber}${pointTitle || "（未命名）"}`, 1);
      });
    });
  }
  const laterOutline = () => {
    clearTimeout(outlineTimer);
    outlineTimer = setTimeout(outline, 300);
  };
  form.addEventListener("input", laterOutline);
  form.addEventListener("formset:changed", laterOutline);
  outline();
})();
