import ArgumentParser
import AWSConfig
import AWSCore
import Workflows

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "Every profile of the config and credentials files, with its kind and where it is defined.",
        discussion: HelpText.reflowed("""
            Lists the profiles as `aws configure list-profiles` does (the config file's, in the order
            each first appears, then the credentials file's), each with the kind of credentials the
            chain would take from it (static-keys, role, sso, credential-process, web-identity, or
            other) and FILE:LINE of the sections that define it. [sso-session …] and [services …]
            sections are not profiles. --settings adds every setting with its value and FILE:LINE
            (secrets masked, sub-sections as objects). Notes say where other AWS SDKs read a line
            differently from the AWS CLI, or where the AWS CLI ignores one. Reads the files only.

            \(ExitStatus.helpText)
            """)
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Also show each profile's settings, values and FILE:LINE (secrets masked).")
    var settings = false

    func run() throws {
        try Run.offline(global) {
            .report(ProfilesReport.report(try ProfileListing.load(environment: Environment.current(), profileFlag: global.profile),
                                          settings: settings))
        }
    }
}
