// The claims, the header checks and the permission rules are shared with AuthClient.
@_exported import AuthShared
