package usersim

// Endpoints a Fault can target.
const (
	EndpointToken  = "token"  // the token endpoint
	EndpointList   = "list"   // list users
	EndpointGet    = "get"    // get user
	EndpointAction = "action" // suspend and reactivate
)

// Fault makes matching requests fail with Status (401, 403, 404, 429, 5xx,
// ...) before anything else is checked. Skip matching requests are served
// normally first (to fail a walk half-way); then Count answers carry the
// fault (0: every one until ClearFault). PageTokenOnly matches only
// requests that carry a page_token, so that the fault hits a later page of
// a walk whenever it is set, never a first page.
type Fault struct {
	Endpoint      string `json:"endpoint,omitempty"` // one of the Endpoint constants; "" = every request
	Status        int    `json:"status"`
	RetryAfter    string `json:"retry_after,omitempty"` // Retry-After header value, sent as is
	Skip          int    `json:"skip,omitempty"`
	Count         int    `json:"count,omitempty"`
	PageTokenOnly bool   `json:"page_token_only,omitempty"`
}

// SetFault replaces the current fault.
func (s *Sim) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// ClearFault ends the current fault.
func (s *Sim) ClearFault() { s.SetFault(Fault{}) }

// takeFaultLocked reports the fault that applies to one request of
// endpoint, counting it; pageToken tells whether it carries a page_token.
func (s *Sim) takeFaultLocked(endpoint string, pageToken bool) (Fault, bool) {
	f := &s.fault
	if f.Status == 0 || (f.Endpoint != "" && f.Endpoint != endpoint) || (f.PageTokenOnly && !pageToken) {
		return Fault{}, false
	}
	if f.Skip > 0 {
		f.Skip--
		return Fault{}, false
	}
	out := *f
	if f.Count > 0 {
		f.Count--
		if f.Count == 0 {
			*f = Fault{}
		}
	}
	return out, true
}
