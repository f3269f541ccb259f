import AWSClients
import AWSCredentials

/// What `sso login` tells the user to do (on stderr), for either flow. It promises only what is
/// true whichever page AWS serves: the device flow's page may or may not fill the code in from
/// the complete URL (AWS changed it in 2026), so the code is always shown, to enter or to check.
public enum SSOLoginPrompt {
    /// `open` opens a URL in a browser and says whether it started one.
    public static func text(_ prompt: SSOLogin.Prompt, session: SSOSession, loginCommand: String,
                            open: (String) -> Bool) -> String {
        var text = "Sign in to \(session.startURL) (\(session.label)):\n\n"
        switch prompt {
        case .deviceCode(let authorization):
            if open(authorization.verificationUriComplete) {
                text += "A browser was opened on the sign-in page. If it did not open, or to sign in on another device, open:\n"
            } else {
                text += "Open this page in a browser (on any device):\n"
            }
            text += "\n    \(authorization.verificationUri)\n\n"
            text += "If the page asks for a code, enter this one; if it shows a code, check that it is this one:\n\n"
            text += "    \(authorization.userCode)\n\nWaiting for the sign-in to be approved...\n"
        case .authorizationCode(let url):
            if open(url) {
                text += "A browser was opened on the sign-in page. If it did not open, open this page in a browser on this computer:\n"
            } else {
                text += "Open this page in a browser on this computer:\n"
            }
            text += "\n    \(url)\n\n"
            text += "The page sends the browser back to credctl on 127.0.0.1. If you cannot open it on this computer, "
            text += "run `\(loginCommand) --use-device-code` instead.\nWaiting for the sign-in (10 minutes at most)...\n"
        }
        return text
    }
}
