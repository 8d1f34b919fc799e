// The robust affine fit of block displacements behind `MotionDescriptor`'s global motion:
// u = a0 + a1·x + a2·y and v = b0 + b1·x + b2·y by weighted least squares (3 × 3 normal equations,
// one solve per component), refitted three times on the inliers — the points whose residual
// length is at most 2.5 × max(floor, 1.4826 × median residual) — so moving objects and blocks
// that matched nothing (flat regions, which `mestimate` leaves at zero) do not drag the camera
// motion. With fewer than 3 inliers, or a singular system (all blocks on a line), the fit is
// translation only (the inliers' mean).

/// An affine motion field fitted to block displacements.
struct AffineFit {
    /// (a0, a1, a2) of u and (b0, b1, b2) of v.
    private(set) var u = [0.0, 0, 0]
    private(set) var v = [0.0, 0, 0]
    private(set) var inlierFraction = 0.0

    init(_ points: [MotionDescriptor.Point], robustFloor: Double) {
        guard !points.isEmpty else { return }
        var inliers = [Bool](repeating: true, count: points.count)
        for round in 0..<4 {
            solve(points, inliers)
            guard round < 3 else { break }
            let residuals = points.map { point -> Double in
                let (rx, ry) = residual(point)
                return (rx * rx + ry * ry).squareRoot()
            }
            let median = MotionDescriptor.percentile(residuals, 0.5)
            let limit = 2.5 * max(robustFloor, 1.4826 * median)
            let next = residuals.map { $0 <= limit }
            if next == inliers || next.filter({ $0 }).count < 3 { break }
            inliers = next
        }
        inlierFraction = Double(inliers.filter { $0 }.count) / Double(points.count)
    }

    /// The displacement the fit does not explain at `point`.
    func residual(_ point: MotionDescriptor.Point) -> (Double, Double) {
        (
            point.u - (u[0] + u[1] * point.x + u[2] * point.y),
            point.v - (v[0] + v[1] * point.x + v[2] * point.y)
        )
    }

    private mutating func solve(_ points: [MotionDescriptor.Point], _ inliers: [Bool]) {
        var normal = [[Double]](repeating: [0, 0, 0], count: 3)
        var rightU = [0.0, 0, 0]
        var rightV = [0.0, 0, 0]
        var count = 0.0
        for (point, keep) in zip(points, inliers) where keep {
            let basis = [1, point.x, point.y]
            for i in 0..<3 {
                for j in 0..<3 { normal[i][j] += basis[i] * basis[j] }
                rightU[i] += basis[i] * point.u
                rightV[i] += basis[i] * point.v
            }
            count += 1
        }
        guard count > 0 else { return }
        if count >= 3, let solvedU = Self.solve3(normal, rightU), let solvedV = Self.solve3(normal, rightV) {
            (u, v) = (solvedU, solvedV)
        } else {
            (u, v) = ([rightU[0] / count, 0, 0], [rightV[0] / count, 0, 0])
        }
    }

    /// x with `m` x = `b` by Cramer's rule; nil when `m` is (nearly) singular.
    static func solve3(_ m: [[Double]], _ b: [Double]) -> [Double]? {
        func det(_ a: [[Double]]) -> Double {
            a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
        }
        let d = det(m)
        let scale = m.flatMap { $0 }.map(abs).max() ?? 0
        guard abs(d) > 1e-12 * max(scale * scale * scale, 1e-300) else { return nil }
        return (0..<3).map { column in
            var replaced = m
            for row in 0..<3 { replaced[row][column] = b[row] }
            return det(replaced) / d
        }
    }
}
