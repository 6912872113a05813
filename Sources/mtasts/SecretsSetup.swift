import Configuration
import Crypto
import Foundation
import Logging

/// Loads the master keys that encrypt private keys at rest.
enum SecretsSetup {
    /// The current key (generated on first run when the default path is used) plus older keys for rotation.
    /// - Parameter generatingMissing: whether a missing key at the default path is created, as the roles do on
    ///   first run; the admin tasks pass false, since a new key could read nothing that is already stored.
    /// - Throws: `ConfigurationError` naming the variable when a configured key file is missing or malformed.
    static func loadKeyring(
        configuration: PlatformConfiguration,
        logger: Logger,
        generatingMissing: Bool = true
    ) throws -> Keyring {
        let path = configuration.secretKeyFile
        let current: MasterKey
        if FileManager.default.fileExists(atPath: path) {
            do {
                current = try MasterKey.load(fromFile: path)
            } catch {
                throw ConfigurationError(variable: "MTASTS_SECRET_KEY_FILE", message: "cannot load \(path): \(error)")
            }
        } else if !generatingMissing {
            throw ConfigurationError(
                variable: "MTASTS_SECRET_KEY_FILE",
                message: "no master key at \(path); point the variable at the key the roles use"
            )
        } else if configuration.secretKeyFileIsExplicit {
            throw ConfigurationError(
                variable: "MTASTS_SECRET_KEY_FILE",
                message:
                    "\(path) does not exist; create it with `head -c 32 /dev/urandom > \(path) && chmod 600 \(path)`"
            )
        } else {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            current = try MasterKey.generate(toFile: path)
            logger.notice("generated a new master key", ["path": path, "key_id": current.keyID])
        }
        var previous: [MasterKey] = []
        for file in configuration.previousSecretKeyFiles {
            do {
                previous.append(try MasterKey.load(fromFile: file))
            } catch {
                throw ConfigurationError(
                    variable: "MTASTS_PREVIOUS_SECRET_KEY_FILES",
                    message: "cannot load \(file): \(error)"
                )
            }
        }
        return try Keyring(current: current, previous: previous)
    }
}
