import Crypto
import NIOSSL
import SwiftASN1
import X509

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A private certificate authority made at start-up, and the server certificate it signs.
///
/// The sandbox serves HTTPS with a certificate no system trusts, as a TLS-inspecting proxy does: a
/// client reaches it only by trusting the authority's PEM file (``certificatePEM``), which is what
/// `SSL_CERT_FILE` and `--tls` are tested with. Keys are P-256 and live only in memory.
public struct SandboxCertificateAuthority: Sendable {
    /// The authority's certificate, PEM: the file a client is told to trust.
    public let certificatePEM: String
    /// The server certificate (for `localhost`, `127.0.0.1` and `::1`), PEM.
    let serverCertificatePEM: String
    /// The server certificate's private key, PEM (PKCS#8).
    let serverKeyPEM: String

    /// Makes a new authority and a server certificate valid from a day ago for thirty days. Each
    /// authority's name is unique: OpenSSL finds an issuer by name, so two CAs of one name trusted
    /// together would shadow each other.
    public init(name: String = "atlas-roles sandbox test CA \(UInt32.random(in: 0...UInt32.max))") throws {
        let now = Date()
        let notBefore = now.addingTimeInterval(-86_400)
        let notAfter = now.addingTimeInterval(86_400 * 30)
        let authorityKey = P256.Signing.PrivateKey()
        let authorityName = try DistinguishedName {
            OrganizationName("atlas-roles sandbox")
            CommonName(name)
        }
        let authority = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(authorityKey.publicKey), notValidBefore: notBefore,
            notValidAfter: notAfter, issuer: authorityName, subject: authorityName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: Certificate.PublicKey(authorityKey.publicKey))
            },
            issuerPrivateKey: Certificate.PrivateKey(authorityKey))

        let serverKey = P256.Signing.PrivateKey()
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(serverKey.publicKey), notValidBefore: notBefore,
            notValidAfter: notAfter, issuer: authorityName,
            subject: try DistinguishedName { CommonName("localhost") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([
                    .dnsName("localhost"),
                    .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                    .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
                ])
                AuthorityKeyIdentifier(
                    keyIdentifier: SubjectKeyIdentifier(hash: Certificate.PublicKey(authorityKey.publicKey))
                        .keyIdentifier)
            },
            issuerPrivateKey: Certificate.PrivateKey(authorityKey))

        certificatePEM = try authority.serializeAsPEM().pemString
        serverCertificatePEM = try server.serializeAsPEM().pemString
        serverKeyPEM = try Certificate.PrivateKey(serverKey).serializeAsPEM().pemString
    }

    /// Writes the authority's certificate to `directory/ca.pem` and returns the path.
    public func writeCertificate(into directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory.hasSuffix("/") ? directory + "ca.pem" : directory + "/ca.pem"
        try Data(certificatePEM.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }

    /// A server TLS configuration presenting the server certificate (ALPN is set by the channel).
    func serverConfiguration() throws -> TLSConfiguration {
        let certificate = try NIOSSLCertificate(bytes: Array(serverCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem)
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
    }
}
