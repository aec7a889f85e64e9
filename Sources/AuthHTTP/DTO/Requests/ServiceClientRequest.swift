import AuthCore

/// `POST /admin/service-clients`.
struct ServiceClientRequest: RequestBody {
    let name: String

    static let maxLengths = ["name": FieldLimits.serviceClientName]
}
