/* Make every sidebar button of the page work, at every width.
 *
 * pydata-sphinx-theme 0.17 (which sphinx-book-theme 1.3 pins) and the book theme
 * attach their click handlers to the *first* `.primary-toggle` and `.secondary-toggle`
 * on the page (document.querySelector). Since 0.17 the first ones are hidden buttons in
 * the top bar; the ☰ and "On this page" buttons a reader sees are later ones and did
 * nothing, so on a phone or tablet the table of contents could not be opened
 * (pydata/pydata-sphinx-theme#2451, executablebooks/sphinx-book-theme#988).
 *
 * Here a click on any other toggle is handed to the first one, which runs the themes'
 * own code: below 992 px it opens the sidebar as a dialog, above it the book theme
 * collapses or restores the sidebar.
 */
(function () {
  "use strict";
  function bind(selector) {
    var toggles = document.querySelectorAll(selector);
    if (toggles.length < 2) {
      return;  // one button: the themes bound it themselves
    }
    var first = toggles[0];
    Array.prototype.slice.call(toggles, 1).forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        first.click();
      });
    });
  }
  function setUp() {
    bind(".primary-toggle");
    bind(".secondary-toggle");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
