// Django formsets edited in the page: add a form by cloning its <template>, remove one by ticking its
// DELETE box, move one up or down and write every form's ORDER. Nested formsets (a chapter's points,
// a point's indicators) are formsets like any other: their prefix comes from the enclosing form's.
//
// Markup (see reports/filing/templates/filing/formset_parts.html and measures/edit_parts.html):
//   <div class="formset" data-formset="PREFIX" data-template="TEMPLATE-ID" data-numbering="paren">
//     <input name="PREFIX-TOTAL_FORMS"> <input name="PREFIX-INITIAL_FORMS">
//     <div class="formset-forms"> <div class="formset-form" data-form-prefix="PREFIX-0">…</div> … </div>
//     <button data-formset-add>…</button>
//   </div>
// A template's names hold __FS__ (the formset's prefix) and __prefix__ (the new form's index).
(() => {
  "use strict";

  const DIGITS = "零一二三四五六七八九";
  const chinese = (n) => {
    if (n <= 0 || n >= 100) return String(n);
    const tens = Math.floor(n / 10);
    const ones = n % 10;
    if (tens === 0) return DIGITS[ones];
    return (tens === 1 ? "" : DIGITS[tens]) + "十" + (ones ? DIGITS[ones] : "");
  };
  const NUMBERING = {
    chapter: (n) => `第${chinese(n)}章`,
    paren: (n) => `（${chinese(n)}）`,
    ordinal: (n) => `第${n}项`,
    none: () => "",
  };

  const container = (formset) => formset.querySelector(":scope > .formset-forms");
  const formsOf = (formset) => [...container(formset).children].filter((el) => el.classList.contains("formset-form"));
  const liveFormsOf = (formset) => formsOf(formset).filter((form) => !form.classList.contains("is-deleted"));
  const totalInput = (formset) => formset.querySelector(`:scope > input[name="${CSS.escape(formset.dataset.formset)}-TOTAL_FORMS"]`);
  const field = (form, name) => form.querySelector(`[name="${CSS.escape(form.dataset.formPrefix)}-${name}"]`);
  // Elements of this form, not of the forms nested in it.
  const own = (form, selector) => [...form.querySelectorAll(selector)].filter((el) => el.closest(".formset-form") === form);

  const changed = (el) => el.dispatchEvent(new CustomEvent("formset:changed", { bubbles: true }));

  function titleOf(form) {
    const input = own(form, "input[type=text], textarea")[0];
    return input ? input.value.trim().slice(0, 40) : "";
  }

  function renumber(formset) {
    const label = NUMBERING[formset.dataset.numbering] || NUMBERING.none;
    const forms = liveFormsOf(formset);
    forms.forEach((form, i) => {
      const order = field(form, "ORDER");
      if (order) order.value = i + 1;
      own(form, ".form-number").forEach((el) => { el.textContent = label(i + 1); });
      own(form, "[data-move=up]").forEach((button) => { button.disabled = i === 0; });
      own(form, "[data-move=down]").forEach((button) => { button.disabled = i === forms.length - 1; });
    });
  }

  function refreshTitle(form) {
    own(form, ".form-title").forEach((el) => { el.textContent = titleOf(form); });
  }

  function add(formset, { focus = true, fill = true } = {}) {
    const template = document.getElementById(formset.dataset.template);
    const total = totalInput(formset);
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__FS__", formset.dataset.formset).replaceAll("__prefix__", String(index));
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const form = holder.firstElementChild;
    container(formset).append(form);
    total.value = String(index + 1);
    renumber(formset);
    form.querySelectorAll(".formset").forEach(renumber);
    // A new chapter comes with its first point, ready to type into.
    if (fill) {
      [...form.querySelectorAll(".formset")]
        .filter((inner) => inner.dataset.numbering !== "none")
        .forEach((inner) => add(inner, { focus: false }));
    }
    form.dispatchEvent(new CustomEvent("formset:added", { bubbles: true }));
    changed(form);
    if (focus) form.querySelector("input:not([type=hidden]), textarea")?.focus();
    return form;
  }

  function remove(form, { quiet = false } = {}) {
    const formset = form.closest(".formset");
    const deletion = field(form, "DELETE");
    if (deletion) deletion.checked = true;
    form.classList.add("is-deleted");
    form.hidden = true;
    const note = document.createElement("div");
    note.className = "deleted-note alert alert-light border py-1 px-2 mb-2 small d-flex align-items-center gap-2";
    const text = document.createElement("span");
    const title = titleOf(form);
    text.textContent = title ? `已删除“${title}”，保存后生效。` : "已删除一项，保存后生效。";
    const undo = document.createElement("button");
    undo.type = "button";
    undo.className = "btn btn-link btn-sm p-0";
    undo.dataset.undo = "";
    undo.textContent = "撤销";
    note.append(text, undo);
    form.after(note);
    renumber(formset);
    if (!quiet) {
      changed(formset);
      undo.focus();
    }
  }

  function undo(note) {
    const form = note.previousElementSibling;
    const deletion = field(form, "DELETE");
    if (deletion) deletion.checked = false;
    form.classList.remove("is-deleted");
    form.hidden = false;
    note.remove();
    renumber(form.closest(".formset"));
    changed(form);
  }

  function move(form, direction) {
    const formset = form.closest(".formset");
    const forms = liveFormsOf(formset);
    const i = forms.indexOf(form);
    const j = direction === "up" ? i - 1 : i + 1;
    if (j < 0 || j >= forms.length) return;
    if (direction === "up") forms[j].before(form);
    else forms[j].after(form);
    renumber(formset);
    changed(form);
  }

  // After a draft is put back: forms in their ORDER, deleted ones shown as deleted.
  function relayout(formset) {
    const forms = formsOf(formset);
    container(formset).querySelectorAll(":scope > .deleted-note").forEach((note) => note.remove());
    forms.forEach((form) => { form.classList.remove("is-deleted"); form.hidden = false; });
    const orderOf = (form) => Number(field(form, "ORDER")?.value || Number.MAX_SAFE_INTEGER);
    forms.sort((a, b) => orderOf(a) - orderOf(b)).forEach((form) => container(formset).append(form));
    forms.filter((form) => field(form, "DELETE")?.checked).forEach((form) => remove(form, { quiet: true }));
    renumber(formset);
    forms.forEach(refreshTitle);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-formset-add], [data-move], [data-remove], [data-undo]");
    if (!button) return;
    if (button.hasAttribute("data-formset-add")) add(button.closest(".formset"));
    else if (button.hasAttribute("data-undo")) undo(button.closest(".deleted-note"));
    else if (button.hasAttribute("data-remove")) remove(button.closest(".formset-form"));
    else {
      move(button.closest(".formset-form"), button.dataset.move);
      button.focus();
    }
  });

  document.addEventListener("input", (event) => {
    const form = event.target.closest(".formset-form");
    if (form && own(form, "input[type=text], textarea")[0] === event.target) refreshTitle(form);
  });

  // The blank forms rendered for typing without JavaScript go; the buttons add forms instead.
  const formsets = [...document.querySelectorAll(".formset")];
  formsets.forEach((formset) => {
    formsOf(formset)
      .filter((form) => form.classList.contains("js-extra"))
      .forEach((form) => {
        form.remove();
        totalInput(formset).value = String(Number(totalInput(formset).value) - 1);
      });
  });
  // A page shown again after an error keeps the filer's order and deletions: show them as they were.
  formsets.filter((formset) => formset.isConnected).forEach(relayout);

  window.Formsets = { add, relayout, formsOf };
})();
