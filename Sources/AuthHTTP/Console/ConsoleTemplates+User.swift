extension ConsoleTemplates {
    /// One user. `{{#can_write}}` guards every form that changes the user; the server checks again on each post.
    static let user = """
        {{<layout}}{{$content}}
        <section id="profile" class="card">
        <dl>
        <dt>Email</dt><dd id="email">{{email}}</dd>
        <dt>Display name</dt><dd id="display-name">{{display_name}}</dd>
        <dt>Status</dt><dd id="status">{{status}}</dd>
        <dt>Email verified</dt><dd id="verified">{{verified}}</dd>
        <dt>Second factor</dt><dd id="mfa">{{mfa}}</dd>
        <dt>Created</dt><dd>{{created}}</dd><dt>Last login</dt><dd>{{last_login}}</dd>
        <dt>Permissions</dt><dd id="permissions">{{permissions}}</dd>
        </dl>
        {{#can_write}}
        <form id="profile-form" method="post" action="/console/users/{{id}}/profile">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label for="profile-display-name">Display name</label>
        <input id="profile-display-name" name="display_name" value="{{display_name}}">
        {{#errors.display_name}}<p class="error">{{errors.display_name}}</p>{{/errors.display_name}}
        <button id="save-profile" type="submit">Save</button>
        </form>
        {{#active}}
        <form id="disable-form" method="post" action="/console/users/{{id}}/disable" class="danger">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label><input id="confirm-disable" type="checkbox" name="confirm" value="on" required>
        Disable this user and end every session</label>
        <button id="disable" type="submit">Disable</button>
        </form>
        {{/active}}
        {{^active}}
        <form id="enable-form" method="post" action="/console/users/{{id}}/enable">
        <input type="hidden" name="csrf_token" value="{{csrf}}"><button id="enable" type="submit">Enable</button>
        </form>
        {{/active}}
        {{^is_verified}}
        <form id="verify-form" method="post" action="/console/users/{{id}}/verify">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <button id="mark-verified" type="submit">Mark the email as verified</button>
        </form>
        <form id="verification-mail-form" method="post" action="/console/users/{{id}}/email-verification">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <button id="send-verification" type="submit">Send a verification mail</button>
        </form>
        {{/is_verified}}
        <form id="reset-mail-form" method="post" action="/console/users/{{id}}/password-reset">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <button id="send-reset" type="submit">Send a password reset mail</button>
        </form>
        {{#mfa_on}}
        <form id="mfa-reset-form" method="post" action="/console/users/{{id}}/mfa-reset" class="danger">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label><input id="confirm-mfa-reset" type="checkbox" name="confirm" value="on" required>
        Remove the authenticator and recovery codes</label>
        <button id="mfa-reset" type="submit">Reset two-factor</button>
        </form>
        {{/mfa_on}}
        {{/can_write}}
        </section>
        <section class="card"><h2>Roles</h2>
        <ul id="roles">{{#roles}}<li><span class="role-name">{{name}}</span>
        {{#can_write}}<form class="remove-role-form inline" method="post" action="/console/users/{{id}}/roles/remove">
        <input type="hidden" name="csrf_token" value="{{csrf}}"><input type="hidden" name="role" value="{{name}}">
        <button class="remove-role" type="submit" aria-label="Remove the role {{name}}">Remove</button>
        </form>{{/can_write}}</li>{{/roles}}</ul>
        {{#can_write}}
        <form id="add-role-form" method="post" action="/console/users/{{id}}/roles/add">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label for="add-role">Add a role</label>
        <select id="add-role" name="role">{{#other_roles}}<option value="{{name}}">{{name}}</option>{{/other_roles}}</select>
        <button id="add-role-submit" type="submit">Add</button>
        </form>
        {{/can_write}}
        </section>
        <section class="card"><h2>Sessions</h2>
        <div class="scroll"><table id="sessions"><thead><tr><th scope="col">Started</th><th scope="col">Last used</th>
        <th scope="col">IP</th><th scope="col">Client</th><th scope="col">Assurance</th><th scope="col"></th></tr></thead>
        <tbody>{{#sessions}}<tr><td>{{created}}</td><td>{{last_used}}</td><td>{{ip}}</td><td>{{agent}}</td><td>{{aal}}</td>
        <td>{{#can_sessions}}<form class="revoke-session-form inline" method="post"
        action="/console/users/{{id}}/sessions/{{session_id}}/revoke">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label><input type="checkbox" name="confirm" value="on" required> confirm</label>
        <button class="revoke-session" type="submit">Revoke</button></form>{{/can_sessions}}</td></tr>{{/sessions}}
        </tbody></table></div>
        {{#can_sessions}}
        <form id="revoke-all-form" method="post" action="/console/users/{{id}}/sessions/revoke-all" class="danger">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label><input id="confirm-revoke-all" type="checkbox" name="confirm" value="on" required>
        End every session of this user</label>
        <button id="revoke-all" type="submit">Revoke all</button>
        </form>
        {{/can_sessions}}
        </section>
        <section class="card"><h2>Personal access tokens</h2>
        <div class="scroll"><table id="tokens"><thead><tr><th scope="col">Name</th><th scope="col">Permissions</th>
        <th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"></th></tr></thead>
        <tbody>{{#tokens}}<tr><td>{{name}}</td><td>{{permissions}}</td><td>{{expires}}</td><td>{{last_used}}</td>
        <td>{{#can_tokens}}<form class="revoke-token-form inline" method="post"
        action="/console/users/{{id}}/tokens/{{token_id}}/revoke">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label><input type="checkbox" name="confirm" value="on" required> confirm</label>
        <button class="revoke-token" type="submit">Revoke</button></form>{{/can_tokens}}</td></tr>{{/tokens}}
        </tbody></table></div>
        </section>
        {{#can_delete}}
        <form id="delete-user-form" method="post" action="/console/users/{{id}}/delete" class="danger card">
        <input type="hidden" name="csrf_token" value="{{csrf}}">
        <label><input id="confirm-delete" type="checkbox" name="confirm" value="on" required>
        Delete this user for good</label>
        <button id="delete-user" type="submit">Delete user</button>
        </form>
        {{/can_delete}}
        <p><a href="/console/audit?user_id={{id}}">This user's audit events</a></p>
        {{/content}}{{/layout}}
        """
}
