package main

import "net/http"

// addProofRoutes adds the proof-of-existence checker when the proof package is there.
func (s *Server) addProofRoutes(m *http.ServeMux) {}
