/* Accessibility repairs to the themes' own markup (issue #13; found by axe-core, which
 * the test suite runs on every built page).
 *
 * - A button or summary whose aria-label differs from its visible text ("Search" on a
 *   button that reads "Search Ctrl+K", "Toggle hidden content" on "Show code cell
 *   source") is announced under a name a voice-control user cannot say; the label is
 *   dropped so the visible text is the name ("label-content-name-mismatch").
 * - Icons inside a button that has an aria-label (the colour-mode switch) are hidden from
 *   assistive technology and lose any title: the label names the button. (The theme's
 *   icons are drawn from the icon font, <i> elements; should a script swap them for SVG
 *   later, as Font Awesome's script did, this is repeated whenever a button's content
 *   changes.)
 * - The reference list is marked role="list" but its children are not list items
 *   ("aria-required-children"); they are given role="listitem".
 * - A display formula wider than the column (on a phone, most of them) scrolls sideways in
 *   its own box (dlbook.css); such a box takes the keyboard focus, so that it can be
 *   scrolled without a mouse ("scrollable-region-focusable"). Checked again on resize.
 */
(function () {
  "use strict";
  function hideIcons() {
    document.querySelectorAll("button[aria-label] svg, button[aria-label] i").forEach(function (icon) {
      if (icon.getAttribute("aria-hidden") !== "true") {
        icon.setAttribute("aria-hidden", "true");
      }
      // An SVG icon named by a <title> ("Light") would count as the button's
      // visible text; the button's own label already says what it does.
      icon.removeAttribute("aria-labelledby");
      icon.querySelectorAll("title").forEach(function (title) { title.remove(); });
    });
  }
  function focusableWideMath() {
    document.querySelectorAll("div.math").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }
  function setUp() {
    focusableWideMath();
    window.addEventListener("resize", focusableWideMath);
    if (document.fonts) {
      document.fonts.ready.then(focusableWideMath);   // KaTeX's fonts change the widths
    }
    hideIcons();
    document.querySelectorAll("button[aria-label]").forEach(function (button) {
      new MutationObserver(hideIcons).observe(button, { childList: true, subtree: true });
    });
    document.querySelectorAll("button[aria-label], summary[aria-label]").forEach(function (el) {
      var visible = el.innerText.replace(/\s+/g, " ").trim();
      var label = el.getAttribute("aria-label");
      if (visible && visible.toLowerCase().indexOf(label.toLowerCase()) === -1) {
        el.removeAttribute("aria-label");
      } else if (visible && visible !== label) {
        el.setAttribute("aria-label", visible);
      }
    });
    document.querySelectorAll("[role='list'].citation-list").forEach(function (list) {
      Array.prototype.forEach.call(list.children, function (child) {
        if (!child.hasAttribute("role") || child.getAttribute("role") === "doc-biblioentry") {
          child.setAttribute("role", "listitem");
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
