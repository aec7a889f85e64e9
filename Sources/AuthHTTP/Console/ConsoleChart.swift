/// The dashboard's chart: SVG drawn on the server from the hourly counts (numbers only, so nothing needs escaping).
enum ConsoleChart {
    static func svg(logins: [Int], failures: [Int]) -> String {
        let width = 720
        let height = 160
        let bar = width / max(1, logins.count)
        let top = max(1, (zip(logins, failures).map { max($0, $1) }.max() ?? 1))
        var shapes = ""
        for (hour, (ok, bad)) in zip(logins, failures).enumerated() {
            let x = hour * bar
            let okHeight = ok * (height - 20) / top
            let badHeight = bad * (height - 20) / top
            shapes += "<rect class=\"ok\" x=\"\(x + 2)\" y=\"\(height - okHeight)\" width=\"\(bar / 2 - 2)\" "
            shapes += "height=\"\(okHeight)\"><title>\(ok) logins</title></rect>"
            shapes += "<rect class=\"bad\" x=\"\(x + bar / 2)\" y=\"\(height - badHeight)\" width=\"\(bar / 2 - 2)\" "
            shapes += "height=\"\(badHeight)\"><title>\(bad) failures</title></rect>"
        }
        return "<svg id=\"logins-chart\" role=\"img\" aria-label=\"Logins (\(logins.reduce(0, +))) and failures "
            + "(\(failures.reduce(0, +))) per hour over the last 24 hours\" viewBox=\"0 0 \(width) \(height)\" "
            + "preserveAspectRatio=\"none\">" + "<line x1=\"0\" y1=\"\(height)\" x2=\"\(width)\" y2=\"\(height)\"/>"
            + shapes + "</svg>"
    }
}
