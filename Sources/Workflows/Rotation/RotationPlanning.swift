import AWSClients
import AWSConfig
import AWSCore

/// Works out a rotation before anything changes: which key is being rotated (the caller's own,
/// else the one the destinations hold, else the user's only key), where it goes, and every check
/// that can be made first — the destinations can be written, no copy of the key is left behind
/// in a profile no destination names, the two-key limit, and that the old key's secret is known
/// wherever a rollback would need it.
struct RotationPlanning {
    let rotation: KeyRotation
    let context: KeyRotation.Context

    struct Planned {
        var plan: RotationPlan
        var destinations: [any KeyDestination]
        /// The old key with its secret, kept in memory for a rollback; nil when no place credctl
        /// can read holds it (then no destination needs it back).
        var oldKey: AccessKeyPair?
    }

    var session: AWSSession { rotation.session }
    var options: RotationOptions { rotation.options }

    /// The destinations asked for; without `--to`, the vault entry the caller's credentials come
    /// from (nil: the profiles of the credentials file holding the old key, found below).
    var requested: [DestinationSpec] {
        if !options.destinations.isEmpty { return options.destinations }
        if let profile = context.callerVaultProfile { return [.vault(profile)] }
        return []
    }

    func plan(pending: RotationJournal?) throws -> Planned {
        let c = context
        let keys = try c.iam.listAccessKeys(c.user)
        let file = session.files.credentialsPath
        let editor = try CredentialsFileUpdate.read(file)
        var held: [(destination: any KeyDestination, holding: DestinationHolding)] = []
        for spec in requested {
            let d = try rotation.factory.make(spec)
            held.append((d, try d.holding()))
        }
        let oldKey = try findOldKey(keys, held: held, editor: editor, file: file)
        if requested.isEmpty {
            // The default: every profile of the credentials file that holds the old key.
            let profiles = editor.profiles(holding: oldKey.id)
            guard !profiles.isEmpty else {
                throw AWSError.configuration(ConfigurationError(
                    "key \(oldKey.id) of \(c.user) is not in \(file), so there is no profile to write its successor to; put the key in a profile there (or run credctl with --profile P for the profile that holds it)"))
            }
            for name in profiles {
                let d = try rotation.factory.make(.profile(name))
                held.append((d, try d.holding()))
            }
        }
        try checkNoCopyLeftBehind(oldKey.id, held: held.map(\.destination), editor: editor, file: file)
        for (d, holding) in held { try d.check(holding: holding, oldKeyId: oldKey.id) }

        let oldSecret = context.knownKey(oldKey.id, held: held.map(\.holding), editor: editor)
        if oldSecret == nil, let blind = held.first(where: { !$0.destination.isReadable }) {
            throw AWSError.configuration(ConfigurationError(
                "\(blind.destination.spec) would need the old key \(oldKey.id) back if a step fails, but its secret is in no destination credctl can read and not in the credentials in use; add a --to that holds it (a profile, vault entry, secret or path), or sign as \(c.user) with it; nothing was changed"))
        }
        let other = try otherKeyToDelete(keys, oldKey: oldKey, pending: pending)
        let plan = RotationPlan(account: c.identity.account, user: c.user, oldKey: oldKey,
                                destinations: held.map { Self.planned($0.destination, $0.holding, oldKey: oldKey.id, file: file) },
                                credentialsFile: file, verifyCommand: options.verifyCommand, otherKeyToDelete: other,
                                keepOldInactive: options.keepOldInactive, pendingJournal: pending)
        return Planned(plan: plan, destinations: held.map(\.destination), oldKey: oldSecret)
    }

    /// The caller's own key; else the key the destinations hold (they must agree, and it must
    /// be the user's); else, without `--to`, the key the credentials file holds; else the
    /// user's only key.
    func findOldKey(_ keys: [AccessKeyMetadata], held: [(destination: any KeyDestination, holding: DestinationHolding)],
                    editor: CredentialsFileEditor, file: String) throws -> AccessKeyMetadata {
        let c = context
        let ids = keys.map(\.id).joined(separator: ", ")
        for (d, holding) in held {
            if let id = holding.keyId, !keys.contains(where: { $0.id == id }) {
                throw RotationError.refused("\(d.spec) holds \(id), which is not a key of \(c.user) (\(ids.isEmpty ? "it has none" : ids)); nothing was changed")
            }
        }
        let holdersById = Dictionary(grouping: held.filter { $0.holding.keyId != nil }, by: { $0.holding.keyId! })
        if holdersById.count > 1 {
            let list = holdersById.map { id, hs in "\(hs.map { "\($0.destination.spec)" }.joined(separator: ", ")) \(hs.count == 1 ? "holds" : "hold") \(id)" }.sorted()
            throw RotationError.refused("the destinations hold different keys (\(list.joined(separator: "; "))); rotate one key at a time; nothing was changed")
        }
        if let own = keys.first(where: { $0.id == c.caller.accessKeyId }) {
            if let other = holdersById.keys.first, other != own.id {
                throw RotationError.refused("the credentials in use are \(c.user)'s key \(own.id), but the destinations hold \(other); rotate one key at a time; nothing was changed")
            }
            return own
        }
        if let id = holdersById.keys.first, let key = keys.first(where: { $0.id == id }) { return key }
        if requested.isEmpty {
            let inFile = keys.filter { !editor.profiles(holding: $0.id).isEmpty }
            guard inFile.count == 1 else {
                throw AWSError.configuration(ConfigurationError(inFile.isEmpty
                    ? "none of \(c.user)'s keys (\(ids.isEmpty ? "it has none" : ids)) is in \(file), so there is no profile to write a new key to; use credctl setup user to create one"
                    : "both of \(c.user)'s keys are in \(file); rotate one at a time with --profile naming a profile that holds it and signing as \(c.user)"))
            }
            return inFile[0]
        }
        guard keys.count == 1 else {
            throw RotationError.refused(keys.isEmpty
                ? "\(c.user) has no access key to rotate; nothing was changed"
                : "\(c.user) has two keys (\(ids)) and no destination holds either, so which one to rotate is not known; add a --to that holds it; nothing was changed")
        }
        return keys[0]
    }

    /// A profile of the credentials (or config) file holding the old key that no destination
    /// names would be left with a deleted key.
    func checkNoCopyLeftBehind(_ oldKeyId: String, held: [any KeyDestination], editor: CredentialsFileEditor, file: String) throws {
        let named = Set(held.compactMap { d -> String? in if case .profile(let p) = d.spec { return p } else { return nil } })
        let left = editor.profiles(holding: oldKeyId).filter { !named.contains($0) }
        if !left.isEmpty {
            throw AWSError.configuration(ConfigurationError(
                "key \(oldKeyId) is also in profile\(left.count == 1 ? "" : "s") \(left.joined(separator: ", ")) of \(file), which no --to names: add \(left.map { "--to profile:\($0)" }.joined(separator: " ")), or take it out of the file; nothing was changed"))
        }
        // The vault entry the credentials in use come from holds the key being rotated.
        if let vaultProfile = context.callerVaultProfile, context.caller.accessKeyId == oldKeyId,
           !held.contains(where: { $0.spec == .vault(vaultProfile) }) {
            throw AWSError.configuration(ConfigurationError(
                "key \(oldKeyId) is also in vault profile \(vaultProfile), which no --to names: add --to vault:\(vaultProfile); nothing was changed"))
        }
        if let config = session.files.config, let section = config.sections.first(where: { $0["aws_access_key_id"] == oldKeyId }) {
            throw AWSError.configuration(ConfigurationError(
                "key \(oldKeyId) is also in \(config.path) [\(section.name)], which credctl does not rewrite; move that profile's keys to \(file) first"))
        }
    }

    /// At the two-key limit: the other key, when it is inactive or `--delete-other-key` allows it.
    func otherKeyToDelete(_ keys: [AccessKeyMetadata], oldKey: AccessKeyMetadata, pending: RotationJournal?) throws -> AccessKeyMetadata? {
        guard let other = keys.first(where: { $0.id != oldKey.id }), pending == nil else { return nil }
        if other.status == .inactive || options.deleteOtherKey { return other }
        let age = other.created.map { " (created \(Timestamp.format($0)))" } ?? ""
        throw RotationError.refused("""
            \(context.user) already has two access keys, and its other key \(other.id)\(age) is active: rotating needs room for a new key. \
            Nothing was changed. If that key is no longer used (credctl keys list --user \(context.user) shows when it was last used), \
            deactivate it or run again with --delete-other-key.
            """)
    }

    /// A destination's line in the plan.
    static func planned(_ d: any KeyDestination, _ holding: DestinationHolding, oldKey: String, file: String) -> PlannedDestination {
        let holds: String
        switch holding {
        case .key(let k): holds = k.id == oldKey ? "old key" : k.id
        case .nothing: holds = "nothing"
        case .unknown: holds = "unknown"
        }
        let action: String
        switch d.spec {
        case .profile(let p): action = "write it to profile \(p) of \(file) (previous file kept as \(file).credctl-backup)"
        case .vault(let p): action = "write it to vault profile \(p)"
        case .secretsManager(let id, let idField, let secretField):
            action = "write it to secret \(id) (fields \(idField) and \(secretField); a new version becomes AWSCURRENT)"
        case .parameterStore(let path):
            action = "write it to \(path)/\(DestinationSpec.parameterIdName) and \(path)/\(DestinationSpec.parameterSecretName) (SecureString)"
        case .command(let command): action = "run `\(command)` with it on stdin"
        }
        return PlannedDestination(destination: d.spec.description, holds: holds, action: action)
    }
}
