// Permission rules and the claims type come from the module authd itself uses.
@_exported import AuthShared
