import AuthCore
import Foundation

extension ConfigurationCheck {
    /// The report for a terminal: the build, every setting with its value and origin, and the probes. The problems
    /// are not in it: the command writes them to standard error, one a line.
    public var text: String {
        var settings = TextTable("VARIABLE", "VALUE", "FROM")
        for setting in report.settings {
            settings.add(setting.variable, setting.value, setting.source.description)
        }
        var probes = TextTable("CHECK", "RESULT", "DETAIL")
        for probe in self.probes {
            probes.add(probe.name, probe.passed ? "ok" : "failed", probe.detail)
        }
        let verdict =
            passed
            ? "configuration ok"
            : "\(problems.count) problem\(problems.count == 1 ? "" : "s") (on standard error)"
        return [
            "\(BuildInfo.summary): configuration check", "", settings.render(), "", probes.render(), "", verdict,
        ].joined(separator: "\n")
    }
}
