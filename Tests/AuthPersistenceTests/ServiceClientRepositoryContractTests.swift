import AuthCore
import AuthTestSupport
import Foundation
import Testing

extension RepositoryContractTests {
    @Suite struct ServiceClients {
        @Test(arguments: StoreKind.all)
        func clientsAreCreatedFoundListedAndDeleted(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let billing = ServiceClient(
                    name: "Billing",
                    clientID: "svc_billing",
                    secretHash: "hash-b",
                    createdAt: Fixture.at(20)
                )
                let search = ServiceClient(
                    name: "Search",
                    clientID: "svc_search",
                    secretHash: "hash-s",
                    createdAt: Fixture.at(10)
                )
                #expect(try await store.serviceClients.list() == [])
                try await store.serviceClients.create(billing)
                try await store.serviceClients.create(search)
                #expect(try await store.serviceClients.list() == [search, billing])
                #expect(try await store.serviceClients.find(clientID: "svc_billing") == billing)
                #expect(try await store.serviceClients.find(clientID: "svc_other") == nil)
                #expect(try await store.serviceClients.delete(id: billing.id) == billing)
                #expect(try await store.serviceClients.delete(id: billing.id) == nil)
                #expect(try await store.serviceClients.find(clientID: "svc_billing") == nil)
                #expect(try await store.serviceClients.list() == [search])
            }
        }

        @Test(arguments: StoreKind.all)
        func aClientIDIsUnique(_ kind: StoreKind) async throws {
            try await withStore(kind) { store in
                let first = ServiceClient(name: "First", clientID: "svc_same", secretHash: "h1", createdAt: Fixture.t0)
                try await store.serviceClients.create(first)
                await #expect(throws: (any Error).self) {
                    try await store.serviceClients.create(
                        ServiceClient(name: "Second", clientID: "svc_same", secretHash: "h2", createdAt: Fixture.t0)
                    )
                }
                #expect(try await store.serviceClients.list() == [first])
            }
        }
    }
}
