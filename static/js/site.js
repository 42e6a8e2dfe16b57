/*
 * SMOP public site: progressive enhancement only. Every page works without this file:
 * the menu is then a plain list of links and each photo links to its large version.
 */
(function () {
    "use strict";

    /* Mobile menu: a disclosure button that shows and hides the menu on small screens.
       The button exists only when this script runs; CSS hides the list only then. */
    function setUpMenu(nav) {
        var button = nav.querySelector("[data-nav-toggle]");
        var list = nav.querySelector("[data-nav-list]");
        if (!button || !list) {
            return;
        }
        function setOpen(open) {
            button.setAttribute("aria-expanded", open ? "true" : "false");
        }
        button.hidden = false;
        setOpen(false);
        button.addEventListener("click", function () {
            setOpen(button.getAttribute("aria-expanded") !== "true");
        });
        nav.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
                setOpen(false);
                button.focus();
            }
        });
    }

    /* Photo viewer: a modal <dialog> over the album. Enter or a click on a photo opens
       it; the arrow keys and the buttons move between photos; Escape or Close shuts it
       and returns focus to the photo that opened it. */
    function setUpViewer(gallery) {
        var template = document.getElementById("viewer-template");
        var links = Array.prototype.slice.call(gallery.querySelectorAll("[data-viewer-item]"));
        if (!template || !links.length || typeof HTMLDialogElement !== "function") {
            return;
        }
        var dialog = template.content.firstElementChild.cloneNode(true);
        document.body.appendChild(dialog);
        var image = dialog.querySelector(".viewer__image");
        var caption = dialog.querySelector(".viewer__caption");
        var count = dialog.querySelector(".viewer__count");
        var prev = dialog.querySelector("[data-viewer-prev]");
        var next = dialog.querySelector("[data-viewer-next]");
        var close = dialog.querySelector("[data-viewer-close]");
        dialog.querySelector(".viewer__title").textContent = gallery.dataset.viewerTitle || "";
        var countLabel = gallery.dataset.viewerCount || "{number} / {total}";
        var current = 0;
        var opener = null;

        function show(index) {
            current = (index + links.length) % links.length;
            var link = links[current];
            image.src = link.dataset.viewerSrc;
            image.width = Number(link.dataset.viewerWidth) || 1;
            image.height = Number(link.dataset.viewerHeight) || 1;
            image.alt = link.dataset.viewerAlt || "";
            var figcaption = link.parentNode.querySelector("figcaption");
            caption.textContent = figcaption ? figcaption.textContent.replace(/\s+/g, " ").trim() : "";
            caption.hidden = !caption.textContent;
            count.textContent = countLabel
                .replace("{number}", String(current + 1))
                .replace("{total}", String(links.length));
            var single = links.length < 2;
            prev.hidden = single;
            next.hidden = single;
        }

        function open(index, link) {
            opener = link;
            show(index);
            dialog.showModal();
            close.focus();
        }

        links.forEach(function (link, index) {
            link.addEventListener("click", function (event) {
                if (event.ctrlKey || event.metaKey || event.shiftKey || event.button > 0) {
                    return; // a new tab or window: let the link do its job
                }
                event.preventDefault();
                open(index, link);
            });
        });
        prev.addEventListener("click", function () { show(current - 1); });
        next.addEventListener("click", function () { show(current + 1); });
        close.addEventListener("click", function () { dialog.close(); });
        dialog.addEventListener("close", function () {
            image.src = "data:,";
            if (opener) {
                opener.focus();
            }
        });
        // A click on the backdrop (outside the dialog's box) closes it too.
        dialog.addEventListener("click", function (event) {
            if (event.target === dialog) {
                dialog.close();
            }
        });
        dialog.addEventListener("keydown", function (event) {
            if (event.key === "ArrowRight") {
                event.preventDefault();
                show(current + 1);
            } else if (event.key === "ArrowLeft") {
                event.preventDefault();
                show(current - 1);
            } else if (event.key === "Tab") {
                trapFocus(event);
            }
        });

        // Keep Tab within the dialog's buttons (the page behind is inert anyway).
        function trapFocus(event) {
            var buttons = Array.prototype.filter.call(
                dialog.querySelectorAll("button"),
                function (button) { return !button.hidden; }
            );
            var first = buttons[0];
            var last = buttons[buttons.length - 1];
            if (event.shiftKey && document.activeElement === first) {
                event.preventDefault();
                last.focus();
            } else if (!event.shiftKey && document.activeElement === last) {
                event.preventDefault();
                first.focus();
            }
        }
    }

    document.querySelectorAll("[data-nav]").forEach(setUpMenu);
    document.querySelectorAll("[data-viewer-gallery]").forEach(setUpViewer);
})();
