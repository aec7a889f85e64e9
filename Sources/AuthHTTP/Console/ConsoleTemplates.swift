/// The console's markup (Mustache: every `{{value}}` is HTML-escaped; the one `{{{chart}}}` is SVG built from numbers).
enum ConsoleTemplates {
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <link rel="icon" href="data:,">
        <title>{{title}} · authd console</title>
        <link rel="stylesheet" href="/console/assets/console.css">
        <script src="/console/assets/console.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
        <span class="brand">authd</span>
        {{#signed_in}}
        <nav aria-label="Console">
        <a id="nav-dashboard" href="/console">Dashboard</a>
        {{#nav_users}}<a id="nav-users" href="/console/users">Users</a>{{/nav_users}}
        {{#nav_roles}}<a id="nav-roles" href="/console/roles">Roles</a>{{/nav_roles}}
        {{#nav_clients}}<a id="nav-clients" href="/console/clients">Service clients</a>{{/nav_clients}}
        {{#nav_audit}}<a id="nav-audit" href="/console/audit">Audit log</a>{{/nav_audit}}
        </nav>
        <form id="signout-form" method="post" action="/console/logout">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <span class="who">{{me}}</span> <button id="signout" type="submit">Sign out</button>
        </form>
        {{/signed_in}}
        </header>
        <main id="main">
        <h1>{{title}}</h1>
        {{#flash_ok}}<div class="flash ok" role="status">{{flash_ok}}</div>{{/flash_ok}}
        {{#flash_error}}<div class="flash error" role="alert">{{flash_error}}</div>{{/flash_error}}
        {{$content}}{{/content}}
        </main>
        </body>
        </html>
        """

    static let signin = """
        {{<layout}}{{$content}}
        {{^mfa_token}}
        <form id="signin-form" method="post" action="/console/login" class="card narrow">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value="{{email}}" autofocus>
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button id="signin" type="submit">Sign in</button>
        </form>
        {{/mfa_token}}
        {{#mfa_token}}
        <form id="mfa-form" method="post" action="/console/mfa" class="card narrow">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <input type="hidden" name="mfa_token" value="{{mfa_token}}">
        <label for="code">Code from your authenticator app, or a recovery code</label>
        <input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" required autofocus>
        <button id="verify" type="submit">Verify</button>
        </form>
        {{/mfa_token}}
        {{/content}}{{/layout}}
        """

    static let dashboard = """
        {{<layout}}{{$content}}
        <section class="stats" aria-label="Figures">
        <div class="stat"><span class="label">Users</span><span id="stat-users" class="value">{{users}}</span></div>
        <div class="stat"><span class="label">Active sessions</span>
        <span id="stat-sessions" class="value">{{sessions}}</span></div>
        <div class="stat"><span class="label">Logins, 24 h</span><span id="stat-logins" class="value">{{logins}}</span></div>
        <div class="stat"><span class="label">Failed logins, 24 h</span>
        <span id="stat-failures" class="value">{{failures}}</span></div>
        <div class="stat"><span class="label">Emails locked out now</span>
        <span id="stat-lockouts" class="value">{{lockouts}}</span></div>
        </section>
        <section class="card">
        <h2>Logins and failures per hour, last 24 hours</h2>
        {{{chart}}}
        <p class="legend"><span class="key ok"></span> logins <span class="key bad"></span> failures</p>
        </section>
        {{/content}}{{/layout}}
        """

    static let denied = """
        {{<layout}}{{$content}}
        <p class="error">{{message}}</p>
        <p><a href="/console">Back to the dashboard</a></p>
        {{/content}}{{/layout}}
        """
}
