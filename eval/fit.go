package eval

import (
	"math"
	"slices"
)

// RankQuestion is one question's candidate sentences, for fitting the
// answer ranker: each candidate's features, and whether the answer it
// would give contains a gold answer.
type RankQuestion struct {
	Set    string
	X      [][]float64
	Pos    []bool
	Weight float64  // the question's weight in the fit
	Text   []string // the candidates' answers, when kept for reading
}

// hasPositive reports whether any candidate of q holds a gold answer.
func (q RankQuestion) hasPositive() bool { return slices.Contains(q.Pos, true) }

// FitRanker fits the weights of a conditional logit model (a softmax
// over each question's candidates) that maximise the weighted
// likelihood that the chosen candidate holds a gold answer, with an L2
// penalty l2 on the weights. Questions without a positive candidate
// teach nothing and are skipped.
func FitRanker(qs []RankQuestion, l2 float64, start []float64) []float64 {
	var use []RankQuestion
	for _, q := range qs {
		if q.hasPositive() && len(q.X) > 0 {
			use = append(use, q)
		}
	}
	if len(use) == 0 {
		return slices.Clone(start)
	}
	dim := len(use[0].X[0])
	grad := func(w []float64) ([]float64, float64) {
		g := make([]float64, dim)
		ll := 0.0
		total := 0.0
		for _, q := range use {
			s := make([]float64, len(q.X))
			hi := math.Inf(-1)
			for i, x := range q.X {
				s[i] = dot(w, x)
				hi = max(hi, s[i])
			}
			var z, zp float64
			for i := range s {
				s[i] = math.Exp(s[i] - hi)
				z += s[i]
				if q.Pos[i] {
					zp += s[i]
				}
			}
			ll += q.Weight * math.Log(zp/z)
			total += q.Weight
			for i, x := range q.X {
				c := -s[i] / z
				if q.Pos[i] {
					c += s[i] / zp
				}
				for d := range g {
					g[d] += q.Weight * c * x[d]
				}
			}
		}
		for d := range g {
			g[d] = g[d]/total - 2*l2*w[d]
		}
		return g, ll / total
	}
	return ascend(grad, start, dim)
}

// RankAccuracy is the weighted share of questions with a positive
// candidate whose best-scoring candidate under w is positive.
func RankAccuracy(qs []RankQuestion, w []float64) float64 {
	var got, n float64
	for _, q := range qs {
		if !q.hasPositive() {
			continue
		}
		n += q.Weight
		best, bi := math.Inf(-1), -1
		for i, x := range q.X {
			if s := dot(w, x); s > best {
				best, bi = s, i
			}
		}
		if bi >= 0 && q.Pos[bi] {
			got += q.Weight
		}
	}
	if n == 0 {
		return 0
	}
	return got / n
}

// Example is one labelled vector for logistic regression.
type Example struct {
	Set    string
	X      []float64
	Y      bool
	Weight float64
}

// FitLogistic fits a weighted, L2-penalised logistic regression: the
// weights and intercept of P(Y) = σ(b + w·x). The intercept is not
// penalised.
func FitLogistic(ex []Example, l2 float64) (w []float64, b float64) {
	if len(ex) == 0 {
		return nil, 0
	}
	dim := len(ex[0].X)
	grad := func(v []float64) ([]float64, float64) {
		g := make([]float64, dim+1)
		ll, total := 0.0, 0.0
		for _, e := range ex {
			p := sigmoid(v[dim] + dot(v[:dim], e.X))
			y := 0.0
			if e.Y {
				y = 1
			}
			ll += e.Weight * (y*math.Log(max(p, 1e-12)) + (1-y)*math.Log(max(1-p, 1e-12)))
			total += e.Weight
			for d, x := range e.X {
				g[d] += e.Weight * (y - p) * x
			}
			g[dim] += e.Weight * (y - p)
		}
		for d := range g {
			g[d] /= total
			if d < dim {
				g[d] -= 2 * l2 * v[d]
			}
		}
		return g, ll / total
	}
	v := ascend(grad, make([]float64, dim+1), dim+1)
	return v[:dim], v[dim]
}

// Predict is the logistic model's probability for x.
func Predict(w []float64, b float64, x []float64) float64 { return sigmoid(b + dot(w, x)) }

// AUC is the area under the ROC curve of scores for labels ys: the chance
// that a random positive scores above a random negative (ties count
// half). It is 0.5 when either class is empty.
func AUC(scores []float64, ys []bool) float64 {
	var pos, neg []float64
	for i, s := range scores {
		if ys[i] {
			pos = append(pos, s)
		} else {
			neg = append(neg, s)
		}
	}
	if len(pos) == 0 || len(neg) == 0 {
		return 0.5
	}
	slices.Sort(neg)
	var sum float64
	for _, p := range pos {
		lo, _ := slices.BinarySearch(neg, p)
		hi := lo
		for hi < len(neg) && neg[hi] == p {
			hi++
		}
		sum += float64(lo) + float64(hi-lo)/2
	}
	return sum / float64(len(pos)*len(neg))
}

// ascend maximises a function by Adam gradient ascent from start, given
// its gradient and value, until the value stops improving.
func ascend(grad func([]float64) ([]float64, float64), start []float64, dim int) []float64 {
	const (
		rate  = 0.05
		beta1 = 0.9
		beta2 = 0.999
		steps = 1500
		tol   = 1e-8
	)
	w := make([]float64, dim)
	copy(w, start)
	m, v := make([]float64, dim), make([]float64, dim)
	prev := math.Inf(-1)
	for t := 1; t <= steps; t++ {
		g, val := grad(w)
		if math.Abs(val-prev) < tol && t > 50 {
			break
		}
		prev = val
		for d := range w {
			m[d] = beta1*m[d] + (1-beta1)*g[d]
			v[d] = beta2*v[d] + (1-beta2)*g[d]*g[d]
			mh := m[d] / (1 - math.Pow(beta1, float64(t)))
			vh := v[d] / (1 - math.Pow(beta2, float64(t)))
			w[d] += rate * mh / (math.Sqrt(vh) + 1e-8)
		}
	}
	return w
}

func dot(w, x []float64) float64 {
	s := 0.0
	for i := range x {
		s += w[i] * x[i]
	}
	return s
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
