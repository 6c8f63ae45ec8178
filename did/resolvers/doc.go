// Package resolvers tells the address a DID is bound to now, from a chain store or a node,
// for did.VerifyLogin and did.Logins. It is apart from package did so that the consensus
// code (did, chain) does not depend on an RPC client.
//
//	l := &did.Logins{Domain: "login.example.com", Resolver: resolvers.Node{Client: c, Params: p}}
//	l := &did.Logins{Domain: "login.example.com", Resolver: resolvers.Chain{Queries: q, Params: p}}
//
// A DID that is not registered is did.ErrNotFound; a failure to ask, or an answer that is
// not well formed, did.ErrResolver; a DID bound to something other than an address of the
// network, did.ErrUnsupportedAddress.
package resolvers
