// Signing throughput for scripts/bench.sh: signs the same requests the Python side signs with
// botocore's SigV4Auth, and prints requests signed per second. `hash` measures the floor: only
// the hashing a signature cannot avoid (SHA-256 of the payload, SHA-256 of the canonical
// request, one HMAC-SHA256 of the string to sign with the cached signing key) on the same bytes.
//
//   credctl-bench sign COUNT
//   credctl-bench hash COUNT
import SigV4
#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

let arguments = CommandLine.arguments
guard arguments.count == 3, ["sign", "hash"].contains(arguments[1]), let count = Int(arguments[2]), count > 0 else {
    print("usage: credctl-bench sign|hash COUNT")
    exit(2)
}

/// The requests both sides sign: a query-protocol POST, a JSON-protocol POST and a GET with a query.
let requests: [(String, SignableRequest)] = [
    ("sts", SignableRequest(method: "POST", path: "/", headers: [
        ("Host", "sts.us-east-1.amazonaws.com"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
        payload: .bytes(Array("Action=GetCallerIdentity&Version=2011-06-15".utf8)))),
    ("ssm", SignableRequest(method: "POST", path: "/", headers: [
        ("Host", "ssm.us-east-1.amazonaws.com"), ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", "AmazonSSM.GetParametersByPath")],
        payload: .bytes(Array(#"{"Path":"/ELASMETRICS/STAGING","Recursive":true,"WithDecryption":true}"#.utf8)))),
    ("iam", SignableRequest(method: "GET", path: "/", query: "Action=ListAccessKeys&UserName=grafana-dynamodb-user&Version=2010-05-08",
        headers: [("Host", "iam.amazonaws.com")])),
]
let credentials = SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
let cache = SigningKeyCache()
let signers = requests.map { SigV4Signer(credentials: credentials, region: "us-east-1", service: $0.0, keyCache: cache) }
let date = SigningDate(amzDate: "20261123T000000Z")!

var checksum = 0
if arguments[1] == "sign" {
    let start = now()
    for i in 0..<count {
        let k = i % requests.count
        checksum &+= signers[k].sign(requests[k].1, at: date).signature.utf8.count
    }
    let elapsed = now() - start
    print("signed \(count) requests in \(elapsed) s: \(Int(Double(count) / elapsed)) per second (checksum \(checksum))")
} else {
    // The exact bytes each signature hashes, taken from a real signature of each request.
    let work: [(payload: [UInt8], canonical: [UInt8], stringToSign: [UInt8])] = requests.indices.map { k in
        let signature = signers[k].sign(requests[k].1, at: date)
        let payload: [UInt8]
        if case .bytes(let b) = requests[k].1.payload { payload = b } else { payload = [] }
        return (payload, Array(signature.canonicalRequest.utf8), Array(signature.stringToSign.utf8))
    }
    let key = Digest.sha256(Array("a 32-byte signing key stand-in".utf8))
    let start = now()
    for i in 0..<count {
        let w = work[i % work.count]
        checksum &+= Int(Digest.sha256(w.payload)[0]) &+ Int(Digest.sha256(w.canonical)[0])
            &+ Int(Digest.hmacSHA256(key: key, data: w.stringToSign)[0])
    }
    let elapsed = now() - start
    print("hashed \(count) requests in \(elapsed) s: \(Int(Double(count) / elapsed)) per second (checksum \(checksum))")
}
