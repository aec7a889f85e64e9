/// TEST-ONLY key material. Never use it for anything else: the private key is public, right here.
///
/// A self-signed certificate for CN=localhost with subjectAltName DNS:localhost, IP:127.0.0.1 and IP:::1, valid
/// from 2024-01-01 to 2124-01-01, and its P-256 private key (the same pair as AuthMailTests'): authd serves HTTPS
/// with it in `ConnectionTests`.
enum TestCertificates {
    static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBnzCCAUagAwIBAgIBATAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAlsb2NhbGhv
        c3QwIBcNMjQwMTAxMDAwMDAwWhgPMjEyNDAxMDEwMDAwMDBaMBQxEjAQBgNVBAMM
        CWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABOd44tMiyJzG3HjN
        CNe1fLuGmU6fLQ1REPZiNAVnA/dYAIGNgUT/QPl7aB4sPwsTjFd0ouMgjuOJO1Bj
        zAad3HCjgYYwgYMwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAoQwEwYD
        VR0lBAwwCgYIKwYBBQUHAwEwLAYDVR0RBCUwI4IJbG9jYWxob3N0hwR/AAABhxAA
        AAAAAAAAAAAAAAAAAAABMB0GA1UdDgQWBBSNGvZGXHm8h7Ns50AzRusVs97PmDAK
        BggqhkjOPQQDAgNHADBEAiBCj3h8iMhXKaauCJWQ74MIodZkiiL0CJYDhYeQ6FCK
        FQIgPap7zGQ1yTSYH2ypdNfulkYZmJXKIEfu9UO73u999Rc=
        -----END CERTIFICATE-----
        """

    static let privateKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgkUlvFYLza9gWBTrS
        RWvv1c5CG8CsCIzC52Z3fF5wUqihRANCAATneOLTIsicxtx4zQjXtXy7hplOny0N
        URD2YjQFZwP3WACBjYFE/0D5e2geLD8LE4xXdKLjII7jiTtQY8wGndxw
        -----END PRIVATE KEY-----
        """
}
