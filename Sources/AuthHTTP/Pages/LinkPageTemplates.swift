/// The link pages' markup (Mustache, HTML-escaped), script and stylesheet. The script posts only to this origin's API,
/// under the base path the page was rendered with.
enum LinkPageTemplates {
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <link rel="icon" href="data:,">
        <title>{{title}} · {{product}}</title>
        <link rel="stylesheet" href="{{base}}/assets/link-pages.css">
        <script src="{{base}}/assets/link-pages.js" defer></script>
        </head>
        {{$body}}{{/body}}
        </html>
        """

    static let reset = """
        {{<layout}}{{$body}}
        <body data-page="reset" data-base="{{base}}">
        <main>
        <h1>{{title}}</h1>
        <form id="reset-form" autocomplete="off">
        <label for="new-password">New password</label>
        <input id="new-password" name="new_password" type="password" autocomplete="new-password" required minlength="8">
        <label for="confirm-password">Repeat the new password</label>
        <input id="confirm-password" name="confirm_password" type="password" autocomplete="new-password" required>
        <button id="submit" type="submit">Set new password</button>
        </form>
        <p id="status" role="status" aria-live="polite"></p>
        </main>
        </body>
        {{/body}}{{/layout}}
        """

    static let verify = """
        {{<layout}}{{$body}}
        <body data-page="verify" data-base="{{base}}">
        <main>
        <h1>{{title}}</h1>
        <p>Press the button to confirm that this address is yours.</p>
        <button id="confirm" type="button">Confirm my email address</button>
        <p id="status" role="status" aria-live="polite"></p>
        </main>
        </body>
        {{/body}}{{/layout}}
        """

    static let script = #"""
        (function () {
          'use strict';
          var base = document.body.getAttribute('data-base') || '';
          var page = document.body.getAttribute('data-page');
          var fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
          var token = fragment.get('token') || new URLSearchParams(window.location.search).get('token');
          // The token leaves the address bar (and the history) at once.
          if (window.location.hash || window.location.search) {
            window.history.replaceState(null, '', window.location.pathname);
          }
          var status = document.getElementById('status');
          function show(message, ok) {
            status.textContent = message;
            status.className = ok ? 'ok' : 'error';
          }
          function post(path, body) {
            return window.fetch(base + path, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify(body),
              credentials: 'omit',
              referrerPolicy: 'no-referrer'
            });
          }
          function problem(response, fallback) {
            return response.json().then(function (p) {
              if (p.errors && p.errors.length && p.errors[0].message) { return p.errors[0].message; }
              return p.detail || fallback;
            }, function () { return fallback; });
          }
          var expired = 'This link is invalid, used or expired. Request a new one.';
          if (!token) {
            show('This link is incomplete. Open it again from the mail, or request a new one.', false);
            var controls = document.querySelectorAll('form, button');
            for (var i = 0; i < controls.length; i++) { controls[i].hidden = true; }
            return;
          }
          if (page === 'verify') {
            var confirm = document.getElementById('confirm');
            confirm.addEventListener('click', function () {
              confirm.disabled = true;
              post('/auth/email/verify', { token: token }).then(function (response) {
                if (response.ok) {
                  confirm.hidden = true;
                  show('Your email address is confirmed. You can close this page.', true);
                } else {
                  problem(response, expired).then(function (m) { show(m, false); });
                }
              }, function () {
                confirm.disabled = false;
                show('The service cannot be reached. Try again.', false);
              });
            });
          } else if (page === 'reset') {
            var form = document.getElementById('reset-form');
            var button = document.getElementById('submit');
            form.addEventListener('submit', function (event) {
              event.preventDefault();
              var password = document.getElementById('new-password').value;
              if (password !== document.getElementById('confirm-password').value) {
                show('The two passwords differ.', false);
                return;
              }
              button.disabled = true;
              post('/auth/password/reset', { token: token, new_password: password }).then(function (response) {
                if (response.status === 204) {
                  form.hidden = true;
                  show('Your password is changed, and every session was signed out. Sign in with the new password.', true);
                } else {
                  button.disabled = false;
                  problem(response, expired).then(function (m) { show(m, false); });
                }
              }, function () {
                button.disabled = false;
                show('The service cannot be reached. Try again.', false);
              });
            });
          }
        })();
        """#

    static let stylesheet = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: #f5f6f8; color: #1d2330;
          margin: 0; }
        main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px;
          box-shadow: 0 1px 3px rgba(0, 0, 0, .12); }
        h1 { font-size: 1.35rem; margin-top: 0; }
        label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
        input { width: 100%; box-sizing: border-box; padding: .6rem; border: 1px solid #b8bfcc; border-radius: 4px;
          font-size: 1rem; }
        button { margin-top: 1.25rem; padding: .65rem 1.2rem; border: 0; border-radius: 4px; background: #2450d8;
          color: #fff; font-size: 1rem; cursor: pointer; }
        button[disabled] { opacity: .6; cursor: default; }
        .ok { color: #146c2e; }
        .error { color: #b3261e; }
        """
}
