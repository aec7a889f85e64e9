extension ConsoleTemplates {
    static let users = """
        {{<layout}}{{$content}}
        <form id="user-search" method="get" action="/console/users" class="filters">
        <label for="q">Search</label><input id="q" name="q" type="search" value="{{q}}" placeholder="email or name">
        <label for="role">Role</label>
        <select id="role" name="role"><option value="">any</option>
        {{#roles}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/roles}}</select>
        <label for="active">Active</label>
        <select id="active" name="active">{{#active_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/active_options}}</select>
        <label for="verified">Verified</label>
        <select id="verified" name="verified">{{#verified_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/verified_options}}</select>
        <label for="created_after">Created from</label>
        <input id="created_after" name="created_after" type="date" value="{{created_after}}">
        <label for="created_before">Created before</label>
        <input id="created_before" name="created_before" type="date" value="{{created_before}}">
        <label for="sort">Sort</label>
        <select id="sort" name="sort">{{#sort_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sort_options}}</select>
        <button id="search" type="submit">Search</button>
        </form>
        {{#can_write}}<p><a id="new-user" class="button" href="/console/users/new">New user</a></p>{{/can_write}}
        <p><span id="total">{{total}}</span> users{{#pages}}, page {{page}} of {{pages}}{{/pages}}</p>
        <div class="scroll"><table id="users">
        <thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Roles</th>
        <th scope="col">Status</th><th scope="col">Created</th><th scope="col">Last login</th></tr></thead>
        <tbody>
        {{#items}}<tr><td><a class="user-link" href="/console/users/{{id}}">{{email}}</a></td><td>{{name}}</td>
        <td>{{roles}}</td><td>{{status}}</td><td>{{created}}</td><td>{{last_login}}</td></tr>{{/items}}
        </tbody></table></div>
        <nav class="pager" aria-label="Pages">
        {{#prev}}<a rel="prev" href="{{prev}}">Previous</a>{{/prev}} {{#next}}<a rel="next" href="{{next}}">Next</a>{{/next}}
        </nav>
        {{/content}}{{/layout}}
        """

    static let newUser = """
        {{<layout}}{{$content}}
        <form id="create-user-form" method="post" action="/console/users" class="card narrow">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label for="new-email">Email</label>
        <input id="new-email" name="email" type="email" required value="{{email}}">
        {{#errors.email}}<p class="error">{{errors.email}}</p>{{/errors.email}}
        <label for="new-password">Password</label>
        <input id="new-password" name="password" type="password" autocomplete="new-password" required>
        {{#errors.password}}<p class="error">{{errors.password}}</p>{{/errors.password}}
        <label for="new-display-name">Display name</label>
        <input id="new-display-name" name="display_name" value="{{display_name}}">
        {{#errors.display_name}}<p class="error">{{errors.display_name}}</p>{{/errors.display_name}}
        <label><input type="checkbox" name="is_verified" value="on"> The email address is verified</label>
        <button id="create-user" type="submit">Create user</button>
        </form>
        {{/content}}{{/layout}}
        """
}
