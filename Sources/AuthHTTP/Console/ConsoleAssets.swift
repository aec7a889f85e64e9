/// The console's stylesheet and its one script (served from the binary; the CSP allows nothing else).
enum ConsoleAssets {
    static let stylesheet = """
        :root { --ink: #1d2330; --muted: #5b6475; --line: #d7dbe3; --bg: #f5f6f8; --accent: #2450d8; --bad: #b3261e;
          --ok: #146c2e; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
          background: var(--bg); }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px; }
        header { display: flex; flex-wrap: wrap; align-items: center; gap: 12px 20px; padding: 10px 20px;
          background: #1d2330; color: #fff; }
        header .brand { font-weight: 700; letter-spacing: .04em; }
        header nav { display: flex; flex-wrap: wrap; gap: 4px 16px; flex: 1; }
        header a { color: #dfe6ff; text-decoration: none; } header a:hover, header a:focus { text-decoration: underline; }
        header form { display: flex; align-items: center; gap: 8px; margin: 0; }
        header .who { color: #b9c2d6; font-size: 13px; }
        main { max-width: 1100px; margin: 0 auto; padding: 16px 20px 48px; }
        h1 { font-size: 22px; margin: 8px 0 16px; word-break: break-all; } h2 { font-size: 17px; margin-top: 0; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 0 0 16px; }
        .narrow { max-width: 460px; }
        label { display: block; font-weight: 600; margin: 10px 0 4px; }
        input, select, textarea { font: inherit; padding: 7px 8px; border: 1px solid #b8bfcc; border-radius: 4px;
          max-width: 100%; }
        .card input:not([type=checkbox]), .card textarea, .card select { width: 100%; }
        input[type=checkbox] { width: auto; margin-right: 6px; }
        button, .button { display: inline-block; font: inherit; padding: 7px 14px; border: 0; border-radius: 4px;
          background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; margin-top: 8px; }
        button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible {
          outline: 3px solid #ffbf47; outline-offset: 1px; }
        .danger button { background: var(--bad); } .danger label { font-weight: 400; }
        form.inline { display: inline; } form.inline button { margin: 0 0 0 6px; padding: 3px 10px; }
        form.inline label { display: inline; font-weight: 400; }
        .filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 4px 10px; margin-bottom: 12px; }
        .filters label { margin: 0; font-size: 13px; } .filters button { margin: 0; }
        .scroll { overflow-x: auto; }
        table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
        th, td { text-align: left; padding: 7px 9px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #eef0f4; font-size: 13px; } td.details { font-size: 12px; color: var(--muted); }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 8px; }
        dt { color: var(--muted); } dd { margin: 0; word-break: break-word; }
        .flash { padding: 10px 12px; border-radius: 6px; margin-bottom: 14px; }
        .flash.ok { background: #e6f4ea; color: var(--ok); } .flash.error { background: #fce8e6; color: var(--bad); }
        p.error { color: var(--bad); margin: 4px 0; }
        .stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px;
          margin-bottom: 16px; }
        .stat { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
        .stat .label { display: block; color: var(--muted); font-size: 13px; }
        .stat .value { font-size: 26px; font-weight: 700; }
        svg { width: 100%; height: 160px; } svg .ok { fill: var(--accent); } svg .bad { fill: var(--bad); }
        svg line { stroke: var(--line); }
        .legend .key { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 10px; }
        .legend .key.ok { background: var(--accent); } .legend .key.bad { background: var(--bad); }
        .secret code { font-size: 15px; word-break: break-all; }
        .pager { display: flex; gap: 16px; margin-top: 12px; }
        @media (max-width: 640px) { main { padding: 12px; } th, td { padding: 6px; } h1 { font-size: 19px; } }
        """

    /// Enhancement only: every form works without it. It puts the cursor in the first field that has an error.
    static let script = """
        (function () {
          'use strict';
          var error = document.querySelector('p.error');
          if (error && error.previousElementSibling && error.previousElementSibling.focus) {
            error.previousElementSibling.focus();
          }
        })();
        """
}
