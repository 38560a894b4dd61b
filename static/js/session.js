// The idle timeout, seen from the page: a warning a few minutes before the session ends, a button to go on
// working, and a note once it has ended. What a filer typed meanwhile is kept by editor.js in this browser.
(() => {
  "use strict";

  const body = document.body;
  const timeout = Number(body.dataset.sessionTimeout || 0) * 1000;
  const warnBefore = Number(body.dataset.sessionWarning || 0) * 1000;
  const box = document.getElementById("session-warning");
  if (!timeout || !box) return;
  const text = box.querySelector("[data-session-text]");
  const button = box.querySelector("[data-session-continue]");
  let warnTimer = null;
  let endTimer = null;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    box.classList.add("d-none");
    warnTimer = setTimeout(warn, Math.max(0, timeout - warnBefore));
    endTimer = setTimeout(ended, timeout);
  }

  function warn() {
    const minutes = Math.max(1, Math.round(warnBefore / 60000));
    text.textContent = `您已较长时间未操作，约 ${minutes} 分钟后将自动退出登录。正在填写的内容已暂存在本机浏览器。`;
    button.classList.remove("d-none");
    box.classList.remove("d-none");
  }

  function ended() {
    text.textContent = "登录已超时退出。您在本页填写的内容已暂存在本机浏览器，重新登录后回到本页即可恢复。";
    button.classList.add("d-none");
    box.classList.remove("d-none");
  }

  button.addEventListener("click", async () => {
    const token = document.querySelector("[name=csrfmiddlewaretoken]")?.value || body.dataset.csrfToken;
    try {
      const response = await fetch(body.dataset.keepAlive, {
        method: "POST",
        headers: { "X-CSRFToken": token },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.ok) schedule();
      else ended();
    } catch {
      ended();
    }
  });

  schedule();
})();
