/// What the fault generator decided for one request, drawn before it is handled.
struct FaultDraw: Sendable {
    /// Milliseconds to wait before answering (latency plus jitter).
    var delayMs: Int = 0
    /// Close the connection with a TCP reset and answer nothing.
    var reset = false
    /// Answer 500 or 503 instead of handling the request.
    var serverErrorStatus: Int?
    /// For a 200 JSON body: send only the first half.
    var truncate = false
    /// For a 200 JSON body: send an HTML page instead.
    var malformed = false
    /// When above zero, send the body at this many bytes a second.
    var trickleBytesPerSecond = 0
    /// The `Retry-After` value for 503s.
    var retryAfterSeconds: Int?
}

extension SandboxFaults {
    /// Draws this request's faults; every rate is an independent draw, so the sequence is reproducible.
    func draw(using random: inout SplitMix64) -> FaultDraw {
        var draw = FaultDraw()
        draw.delayMs = latencyMs + (jitterMs > 0 ? random.below(jitterMs + 1) : 0)
        draw.reset = random.nextUnit() < resetRate
        let serverError = random.nextUnit() < serverErrorRate
        let pickFiveHundred = random.below(2) == 0
        draw.serverErrorStatus = serverError ? (pickFiveHundred ? 500 : 503) : nil
        draw.truncate = random.nextUnit() < truncatedBodyRate
        draw.malformed = !draw.truncate && random.nextUnit() < malformedBodyRate
        draw.trickleBytesPerSecond = trickleBytesPerSecond
        draw.retryAfterSeconds = retryAfterSeconds
        return draw
    }
}
