// The article editor: a textarea marked data-rich-text becomes an editable area with a small toolbar (bold,
// heading, lists, quote, link, picture). What is typed or pasted (from Word, WPS, an official-account editor) is
// copied back to the textarea on submit; the server cleans it whatever it holds. Without this script the textarea
// takes HTML or plain text as it is.
(function () {
  "use strict";
  function button(label, run) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn secondary";
    b.textContent = label;
    b.addEventListener("click", function (e) { e.preventDefault(); run(); });
    return b;
  }
  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function setUp(textarea) {
    var form = textarea.form;
    var area = document.createElement("div");
    area.className = "rich-area";
    area.contentEditable = "true";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    var label = form.querySelector("label[for='" + textarea.id + "']");
    if (label) { label.id = label.id || textarea.id + "-label"; area.setAttribute("aria-labelledby", label.id); }
    area.innerHTML = textarea.value;
    var exec = function (cmd, value) { area.focus(); document.execCommand(cmd, false, value || null); };
    var bar = document.createElement("div");
    bar.className = "rich-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "格式");
    bar.appendChild(button("加粗", function () { exec("bold"); }));
    bar.appendChild(button("小标题", function () { exec("formatBlock", "<h2>"); }));
    bar.appendChild(button("正文", function () { exec("formatBlock", "<p>"); }));
    bar.appendChild(button("列表", function () { exec("insertUnorderedList"); }));
    bar.appendChild(button("编号", function () { exec("insertOrderedList"); }));
    bar.appendChild(button("引用", function () { exec("formatBlock", "<blockquote>"); }));
    bar.appendChild(button("链接", function () {
      var url = window.prompt("链接地址(https://…)", "https://");
      if (url) { exec("createLink", url); }
    }));
    var imageUrl = form.getAttribute("data-image-url");
    if (imageUrl) {
      var picker = document.createElement("input");
      picker.type = "file";
      picker.accept = "image/jpeg,image/png,image/webp,image/gif";
      picker.hidden = true;
      picker.addEventListener("change", function () {
        if (!picker.files.length) { return; }
        var data = new FormData();
        data.append("file", picker.files[0]);
        fetch(imageUrl, { method: "POST", body: data, credentials: "same-origin",
                          headers: { "X-CSRFToken": csrf(form), "Accept": "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (json) {
            if (json.url) { exec("insertImage", json.url); } else { window.alert(json.error || "图片上传失败"); }
          })
          .catch(function () { window.alert("图片上传失败,请检查网络后重试"); });
        picker.value = "";
      });
      bar.appendChild(picker);
      bar.appendChild(button("图片", function () { picker.click(); }));
    }
    textarea.hidden = true;
    textarea.removeAttribute("required");
    textarea.parentNode.insertBefore(bar, textarea);
    textarea.parentNode.insertBefore(area, textarea);
    form.addEventListener("submit", function () { textarea.value = area.innerHTML; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-rich-text]").forEach(setUp);
  });
})();
