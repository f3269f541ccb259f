import Foundation
import Glibc
import Platform
import Testing

/// Platform's files under attack: bounded, non-blocking reads; lock files that follow no link
/// and empty nothing; temporary files of killed writes removed by the next write, never a live
/// writer's; credctl's folders private.
struct LocalFilesTests {
    final class Folder {
        let path: String
        init() throws {
            path = NSTemporaryDirectory() + "credctl-files-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func write(_ name: String, _ text: String) -> String {
            let file = path + "/" + name
            _ = FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
            return file
        }
        func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
        func text(_ name: String) -> String? { try? String(contentsOfFile: path + "/" + name, encoding: .utf8) }
    }

    func reason(_ body: () throws -> [UInt8]?) -> String? {
        do { _ = try body(); return nil } catch let error as LocalFile.ReadError { return error.reason } catch { return "\(error)" }
    }

    // MARK: Reads

    @Test func readsAreBoundedAndNeverBlock() throws {
        let f = try Folder()
        let small = f.write("small", "hello")
        #expect(try LocalFile.read(small) == Array("hello".utf8))
        #expect(try LocalFile.read(f.path + "/missing") == nil)
        #expect(reason { try LocalFile.read(small, limit: 4) } == "it is larger than 4 bytes, more than credctl reads from a file")
        #expect(try LocalFile.read(small, limit: 5) == Array("hello".utf8))
        #expect(reason { try LocalFile.read(f.path) } == "it is a directory")
        // A FIFO with no writer: refused at once, not waited on.
        let fifo = f.path + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let started = Date()
        #expect(reason { try LocalFile.read(fifo) } == "it is a FIFO, not a regular file")
        #expect(reason { try LocalFile.read(fifo, owner: .user) } == "it is a FIFO, not a regular file")
        #expect(Date().timeIntervalSince(started) < 2)
        // Character devices: /dev/null is empty; /dev/zero stops at the limit.
        #expect(try LocalFile.read("/dev/null") == [])
        #expect(reason { try LocalFile.read("/dev/zero", limit: 1 << 16) } == "it is larger than 64 KiB, more than credctl reads from a file")
        #expect(reason { try LocalFile.read("/dev/null", owner: .user) } == "it is not a regular file")
    }

    @Test func credctlsOwnFilesAreNotReadThroughLinks() throws {
        let f = try Folder()
        let target = f.write("target", "secret-ish")
        let link = f.path + "/link"
        #expect(symlink(target, link) == 0)
        #expect(try LocalFile.read(link) == Array("secret-ish".utf8))
        #expect(reason { try LocalFile.read(link, owner: .user) } == "it is a symbolic link, and credctl follows none at the files it keeps")
        let hard = f.path + "/hard"
        #expect(Glibc.link(target, hard) == 0)
        #expect(reason { try LocalFile.read(hard, owner: .user) } == "it has 2 names (hard links); credctl uses only a file of its own")
        if geteuid() == 0 {
            let other = f.write("other", "{}")
            #expect(chown(other, 4242, 4242) == 0)
            #expect(reason { try LocalFile.read(other, owner: .user) } == "it belongs to another user (uid 4242), not to you (uid 0)")
        }
    }

    @Test func standardInputStyleReadsStopAtTheLimit() throws {
        let f = try Folder()
        let file = f.write("ten", "0123456789")
        let fd = open(file, O_RDONLY)
        defer { close(fd) }
        #expect(LocalFile.readAll(fileDescriptor: fd, limit: 9) == .tooLarge)
        _ = lseek(fd, 0, SEEK_SET)
        #expect(LocalFile.readAll(fileDescriptor: fd, limit: 10) == .bytes(Array("0123456789".utf8)))
    }

    @Test func aLineThatNeverEndsIsNotReadWhole() throws {
        let f = try Folder()
        let endless = f.write("endless", String(repeating: "x", count: StandardStream.maximumLineLength + 10) + "\nnext\n")
        let fd = open(endless, O_RDONLY)
        defer { close(fd) }
        let stream = StandardStream(fileDescriptor: fd)
        #expect(stream.readLine() == nil)
        #expect(lseek(fd, 0, SEEK_CUR) == off_t(StandardStream.maximumLineLength + 1))
        let short = f.write("short", "AKIA\nsecret\n")
        let fd2 = open(short, O_RDONLY)
        defer { close(fd2) }
        #expect(StandardStream(fileDescriptor: fd2).readLine() == "AKIA" && StandardStream(fileDescriptor: fd2).readLine() == "secret")
    }

    // MARK: Locks

    func lockFailure(_ path: String) -> FileLock.Failure? {
        do { let lock = try FileLock.acquire(path); lock.release(); return nil } catch { return error }
    }

    @Test func aPlantedLockFileIsRefusedAndNothingIsEmptied() throws {
        let f = try Folder()
        let victim = f.write("victim", "precious")
        let link = f.path + "/a.lock"
        #expect(symlink(victim, link) == 0)
        #expect(lockFailure(link)?.description == "it is a symbolic link, and credctl follows none at its lock files")
        let hard = f.path + "/b.lock"
        #expect(Glibc.link(victim, hard) == 0)
        #expect(lockFailure(hard)?.description == "it has 2 names (hard links); credctl uses only a file of its own")
        let fifo = f.path + "/c.lock"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(lockFailure(fifo)?.description == "it is a FIFO, not a regular file")
        #expect(mkdir(f.path + "/d.lock", 0o700) == 0)
        #expect(lockFailure(f.path + "/d.lock") != nil)
        // A dangling link is not followed into creating its target either.
        let dangling = f.path + "/e.lock"
        #expect(symlink(f.path + "/created-through-link", dangling) == 0)
        #expect(lockFailure(dangling)?.description == "it is a symbolic link, and credctl follows none at its lock files")
        #expect(f.text("victim") == "precious" && !FileManager.default.fileExists(atPath: f.path + "/created-through-link"))
    }

    @Test func aLockIsHeldAndNamesItsHolder() throws {
        let f = try Folder()
        let path = f.path + "/x.lock"
        let lock = try FileLock.acquire(path)
        #expect(f.text("x.lock") == "\(getpid())\n")
        #expect(lockFailure(path) == .held(by: getpid()))
        lock.release()
        #expect(lockFailure(path) == nil)
        var st = stat()
        #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o600)
    }

    // MARK: Temporary files

    @Test func aWriteRemovesWhatKilledWritesLeftButNotALiveWritersFile() throws {
        let f = try Folder()
        let victim = f.write("victim", "precious")
        let dead = ["Ab12Cd", "zz99ZZ"].map { f.write(".state.json.\($0)", "secret in clear") }
        let notOurs = [f.write(".state.json.toolong7", "x"), f.write(".state.json.ab-def", "x"), f.write(".other.json.Ab12Cd", "x")]
        let live = f.write(".state.json.LiVe01", "being written")
        let held = open(live, O_RDONLY)
        #expect(flock(held, LOCK_EX) == 0)
        defer { close(held) }
        let planted = f.path + "/.state.json.LiNk01"
        #expect(symlink(victim, planted) == 0)
        try SecretFile.write(Array("{}".utf8), to: f.path + "/state.json")
        let names = try f.names()
        for path in dead { #expect(!names.contains(String(path.split(separator: "/").last!))) }
        for path in notOurs + [live, planted] { #expect(names.contains(String(path.split(separator: "/").last!)), "\(path)") }
        #expect(f.text("victim") == "precious" && f.text("state.json") == "{}")
    }

    @Test func concurrentWritersNeverRemoveEachOthersTemporaryFiles() throws {
        let f = try Folder()
        let path = f.path + "/shared.json"
        let failures = FailureCount(0)
        DispatchQueue.concurrentPerform(iterations: 4) { writer in
            for round in 0..<50 {
                do { try SecretFile.write(Array("\(writer)-\(round)".utf8), to: path) } catch { failures.add() }
            }
        }
        #expect(failures.value == 0)
        #expect(try f.names() == ["shared.json"])
    }

    @Test func aStateFileWriteReplacesAPlantedLinkInsteadOfFollowingIt() throws {
        let f = try Folder()
        let victim = f.write("victim", "precious")
        #expect(symlink(victim, f.path + "/journal.json") == 0)
        try SecretFile.write(Array("{}".utf8), to: f.path + "/journal.json")
        #expect(f.text("victim") == "precious" && f.text("journal.json") == "{}")
        var st = stat()
        #expect(lstat(f.path + "/journal.json", &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && st.st_mode & 0o777 == 0o600)
    }

    @Test func theWritabilityProbeLeavesNothing() throws {
        let f = try Folder()
        try SecretFile.checkCanCreate(beside: f.path + "/credentials")
        #expect(try f.names() == [])
    }

    // MARK: Folders

    @Test func privateFoldersAreMade0700AndLooseOnesRefused() throws {
        let f = try Folder()
        let made = f.path + "/a/b"
        try SecretFile.makePrivateDirectory(made)
        var st = stat()
        #expect(stat(made, &st) == 0 && st.st_mode & 0o777 == 0o700)
        #expect(stat(f.path + "/a", &st) == 0 && st.st_mode & 0o777 == 0o700)
        for mode: mode_t in [0o777, 0o775, 0o757, 0o1777] {
            #expect(chmod(made, mode) == 0)
            do { try SecretFile.makePrivateDirectory(made); Issue.record("mode \(String(mode, radix: 8)) accepted") } catch {
                #expect(error.path == made && error.reason.hasPrefix("others can write in it (mode \(String(format: "%04o", mode)))"))
            }
        }
        #expect(chmod(made, 0o755) == 0)
        try SecretFile.makePrivateDirectory(made)
        // The parent counted when asked for: a rotation folder inside a loose state folder.
        #expect(chmod(f.path + "/a", 0o777) == 0)
        try SecretFile.makePrivateDirectory(made)
        do { try SecretFile.makePrivateDirectory(made, parents: 1); Issue.record("a loose parent accepted") } catch {
            #expect(error.path == f.path + "/a")
        }
        // Not a folder at all.
        let file = f.write("plain", "x")
        do { try SecretFile.makePrivateDirectory(file); Issue.record("a file accepted as a folder") } catch {
            #expect(error.path.hasPrefix(file))
        }
    }
}

/// A counter the concurrent writers share.
final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count: Int
    init(_ count: Int) { self.count = count }
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
