// Integrity: recompute every chain and name each record that was altered, removed,
// reordered or inserted, then replay the history to check custody and conservation.

/// One integrity finding.
public struct IntegrityProblem: Sendable, Hashable, CustomStringConvertible {
  public enum Kind: String, Sendable {
    /// The record's content no longer matches its hash.
    case altered
    /// Sequence numbers are missing (records deleted).
    case removed
    /// The record's hash matches its content at another position: it was moved.
    case reordered
    /// The record is self-consistent but does not follow the record before it.
    case inserted
    /// The body does not parse as an event, or the replay refuses it.
    case invalid
  }
  public var kind: Kind
  public var chain: String
  public var sequence: Int64
  public var eventID: String
  public var detail: String
  public var description: String {
    "\(kind.rawValue): chain \(chain) #\(sequence)\(eventID.isEmpty ? "" : " (event \(eventID))"): \(detail)"
  }
}

/// The state of one chain.
public struct ChainSummary: Sendable, Hashable {
  public var chain: String
  public var records: Int
  public var headSequence: Int64
  public var headHash: String
  public var intact: Bool
}

/// The result of `verify`.
public struct VerificationReport: Sendable {
  public var chains: [ChainSummary]
  public var problems: [IntegrityProblem]
  public var ok: Bool { problems.isEmpty }
}

public enum Integrity {
  /// Checks `records` (all chains, ordered by chain and sequence) and replays them.
  public static func verify(_ records: [EventRecord]) -> VerificationReport {
    var problems: [IntegrityProblem] = []
    var summaries: [ChainSummary] = []
    let byChain = Dictionary(grouping: records, by: \.chain)
    for chain in byChain.keys.sorted() {
      let rs = (byChain[chain] ?? []).sorted { $0.sequence < $1.sequence }
      let before = problems.count
      var previous: EventRecord?
      // A broken link right after a reported problem is that problem's echo, not a new one.
      var previousFlagged = false
      for r in rs {
        let flaggedBefore = problems.count
        let expectedSeq = (previous?.sequence ?? 0) + 1
        let gap = r.sequence > expectedSeq
        if gap {
          let range = expectedSeq == r.sequence - 1 ? "#\(expectedSeq)" : "#\(expectedSeq)…#\(r.sequence - 1)"
          problems.append(
            IntegrityProblem(
              kind: .removed, chain: chain, sequence: expectedSeq, eventID: "",
              detail: "record \(range) missing before #\(r.sequence)"))
        }
        let selfConsistent = RecordHash.expected(r) == r.hash
        if !selfConsistent {
          // A record moved to another position still matches its hash at the old one.
          let last = max(1, (rs.last?.sequence ?? 1) + 1)
          var moved: Int64?
          for k in Int64(1)...last where k != r.sequence && RecordHash.expected(r, sequence: k) == r.hash {
            moved = k
            break
          }
          if let from = moved {
            problems.append(
              IntegrityProblem(
                kind: .reordered, chain: chain, sequence: r.sequence, eventID: r.eventID,
                detail: "written as #\(from), now at #\(r.sequence)"))
          } else {
            problems.append(
              IntegrityProblem(
                kind: .altered, chain: chain, sequence: r.sequence, eventID: r.eventID,
                detail: "content does not match its hash (edited after it was written)"))
          }
        } else if r.previousHash != (previous?.hash ?? RecordHash.genesis), !gap, !previousFlagged {
          problems.append(
            IntegrityProblem(
              kind: .inserted, chain: chain, sequence: r.sequence, eventID: r.eventID,
              detail: "does not follow #\(previous?.sequence ?? 0): its previous hash is not that record's hash"))
        }
        previous = r
        previousFlagged = problems.count > flaggedBefore
      }
      summaries.append(
        ChainSummary(
          chain: chain, records: rs.count, headSequence: rs.last?.sequence ?? 0, headHash: rs.last?.hash ?? "",
          intact: problems.count == before))
    }
    // Bodies must parse and the history must replay (custody, conservation).
    var decoded: [(record: EventRecord, event: LedgerEvent)] = []
    for r in records {
      do {
        let e = try EPCIS.event(try JSONParser.parse(r.body, source: "body"), at: "body")
        if let org = e.organisation, org != r.chain {
          problems.append(
            IntegrityProblem(
              kind: .invalid, chain: r.chain, sequence: r.sequence, eventID: r.eventID,
              detail: "the event says it was recorded by '\(org)' but sits in chain '\(r.chain)'"))
        }
        decoded.append((r, e))
      } catch {
        problems.append(
          IntegrityProblem(kind: .invalid, chain: r.chain, sequence: r.sequence, eventID: r.eventID, detail: "\(error)"))
      }
    }
    do {
      _ = try LedgerState.replay(decoded)
    } catch {
      problems.append(IntegrityProblem(kind: .invalid, chain: "*", sequence: 0, eventID: "", detail: "replay: \(error)"))
    }
    return VerificationReport(chains: summaries, problems: problems)
  }
}

extension Ledger {
  /// Verifies every chain (auditors and admins).
  public func verify(as actor: Actor) async throws -> VerificationReport {
    try await authorize(actor, .verify)
    return Integrity.verify(try await store.records(chain: nil))
  }
}
