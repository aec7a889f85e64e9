extension ConsoleTemplates {
    static let roles = """
        {{<layout}}{{$content}}
        <div class="scroll"><table id="roles-table"><thead><tr><th scope="col">Role</th><th scope="col">Description</th>
        <th scope="col">Permissions</th><th scope="col">Needs MFA</th></tr></thead><tbody>
        {{#items}}<tr><td><a class="role-link" href="/console/roles/{{name}}">{{name}}</a></td><td>{{description}}</td>
        <td>{{permissions}}</td><td>{{requires_mfa}}</td></tr>{{/items}}
        </tbody></table></div>
        {{#can_write}}
        <form id="create-role-form" method="post" action="/console/roles" class="card narrow">
        <h2>New role</h2>
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label for="role-name">Name</label><input id="role-name" name="name" required value="{{name}}">
        {{#errors.name}}<p class="error">{{errors.name}}</p>{{/errors.name}}
        <label for="role-description">Description</label>
        <input id="role-description" name="description" value="{{description}}">
        {{#errors.description}}<p class="error">{{errors.description}}</p>{{/errors.description}}
        <label for="role-permissions">Permissions, one a line (resource:action)</label>
        <textarea id="role-permissions" name="permissions" rows="4">{{permissions}}</textarea>
        {{#errors.permissions}}<p class="error">{{errors.permissions}}</p>{{/errors.permissions}}
        <button id="create-role" type="submit">Create role</button>
        </form>
        {{/can_write}}
        {{/content}}{{/layout}}
        """

    static let role = """
        {{<layout}}{{$content}}
        <section class="card"><dl><dt>Permissions</dt><dd id="role-permission-list">{{permission_list}}</dd>
        <dt>Needs an aal-2 session</dt><dd>{{requires_mfa}}</dd></dl></section>
        {{#can_write}}
        <form id="edit-role-form" method="post" action="/console/roles/{{name}}" class="card narrow">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label for="role-description">Description</label>
        <input id="role-description" name="description" value="{{description}}">
        {{#errors.description}}<p class="error">{{errors.description}}</p>{{/errors.description}}
        <label for="role-permissions">Permissions, one a line</label>
        <textarea id="role-permissions" name="permissions" rows="6">{{permissions}}</textarea>
        {{#errors.permissions}}<p class="error">{{errors.permissions}}</p>{{/errors.permissions}}
        <button id="save-role" type="submit">Save</button>
        </form>
        <form id="delete-role-form" method="post" action="/console/roles/{{name}}/delete" class="danger card narrow">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label><input id="confirm-delete-role" type="checkbox" name="confirm" value="on" required>
        Delete this role (its members lose its permissions)</label>
        <button id="delete-role" type="submit">Delete role</button>
        </form>
        {{/can_write}}
        {{/content}}{{/layout}}
        """

    static let clients = """
        {{<layout}}{{$content}}
        {{#created}}
        <section class="card secret" role="status">
        <p>Copy the secret now: it is shown this once.</p>
        <dl><dt>client_id</dt><dd><code id="client-id">{{client_id}}</code></dd>
        <dt>client_secret</dt><dd><code id="client-secret">{{client_secret}}</code></dd></dl>
        </section>
        {{/created}}
        <div class="scroll"><table id="clients"><thead><tr><th scope="col">Name</th><th scope="col">client_id</th>
        <th scope="col">Created</th><th scope="col"></th></tr></thead><tbody>
        {{#items}}<tr><td class="client-name">{{name}}</td><td><code>{{client_id}}</code></td><td>{{created}}</td>
        <td><form class="delete-client-form inline" method="post" action="/console/clients/{{id}}/delete">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label><input type="checkbox" name="confirm" value="on" required> confirm</label>
        <button class="delete-client" type="submit">Delete</button></form></td></tr>{{/items}}
        </tbody></table></div>
        <form id="create-client-form" method="post" action="/console/clients" class="card narrow">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label for="client-name">Name of the service</label><input id="client-name" name="name" required>
        {{#errors.name}}<p class="error">{{errors.name}}</p>{{/errors.name}}
        <button id="create-client" type="submit">Create client</button>
        </form>
        {{/content}}{{/layout}}
        """

    static let audit = """
        {{<layout}}{{$content}}
        <form id="audit-filter" method="get" action="/console/audit" class="filters">
        <label for="audit-user">User id</label><input id="audit-user" name="user_id" value="{{user_id}}">
        <label for="audit-action">Action</label><input id="audit-action" name="action" value="{{action}}">
        <label for="audit-outcome">Outcome</label>
        <select id="audit-outcome" name="outcome">{{#outcome_options}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/outcome_options}}</select>
        <label for="audit-since">Since</label><input id="audit-since" name="since" type="datetime-local" value="{{since}}">
        <label for="audit-until">Until</label><input id="audit-until" name="until" type="datetime-local" value="{{until}}">
        <button id="filter" type="submit">Filter</button>
        </form>
        {{#errors}}<p class="error">{{errors}}</p>{{/errors}}
        <p><span id="total">{{total}}</span> events</p>
        <div class="scroll"><table id="audit"><thead><tr><th scope="col">Time (UTC)</th><th scope="col">Action</th>
        <th scope="col">Outcome</th><th scope="col">User</th><th scope="col">Actor</th><th scope="col">IP</th>
        <th scope="col">Details</th></tr></thead><tbody>
        {{#items}}<tr><td>{{time}}</td><td class="action">{{action}}</td><td>{{outcome}}</td>
        <td>{{#user_id}}<a class="audit-user" href="/console/users/{{user_id}}">{{user_label}}</a>{{/user_id}}</td>
        <td>{{#actor_id}}<a href="/console/users/{{actor_id}}">{{actor_label}}</a>{{/actor_id}}</td><td>{{ip}}</td>
        <td class="details">{{details}}</td></tr>{{/items}}
        </tbody></table></div>
        <nav class="pager" aria-label="Pages">
        {{#prev}}<a rel="prev" href="{{prev}}">Newer</a>{{/prev}} {{#next}}<a rel="next" href="{{next}}">Older</a>{{/next}}
        </nav>
        {{/content}}{{/layout}}
        """
}
