#include "AliasSets.h"

#include "gtest/gtest.h"

namespace chanlint {
namespace {

// Distinct fake declarations: only their addresses matter to the sets.
int DeclA, DeclB, DeclC;
const auto *A = reinterpret_cast<const clang::ValueDecl *>(&DeclA);
const auto *B = reinterpret_cast<const clang::ValueDecl *>(&DeclB);
const auto *C = reinterpret_cast<const clang::ValueDecl *>(&DeclC);

AccessPath var(const clang::ValueDecl *D) { return AccessPath::of(PathRoot::var(D, 0)); }

TEST(AliasSets, DistinctPathsAreDistinctObjects) {
  AliasSets S;
  EXPECT_NE(S.object(var(A)), S.object(var(B)));
  EXPECT_EQ(S.object(var(A)), S.object(var(A)));
}

TEST(AliasSets, UnionIsTransitive) {
  AliasSets S;
  S.unite(var(A), var(B));
  S.unite(var(B), var(C));
  EXPECT_EQ(S.object(var(A)), S.object(var(C)));
}

TEST(AliasSets, MembersFollowTheirObjectWhicheverIsSeenFirst) {
  AliasSets S;
  AccessPath AOut = var(A).with(PathStep::element());
  ObjectId Before = S.object(AOut);       // a.out seen before a == b
  ObjectId BOut = S.object(var(B).with(PathStep::element()));
  S.unite(var(A), var(B));
  EXPECT_EQ(S.find(Before), S.find(BOut));
  EXPECT_EQ(S.object(var(B).with(PathStep::element())), S.find(Before));
}

TEST(AliasSets, ElementsAreMarkedAndTheMarkSurvivesUnions) {
  AliasSets S;
  ObjectId Elem = S.object(var(A).with(PathStep::element()));
  EXPECT_TRUE(S.isElement(Elem));
  EXPECT_FALSE(S.isElement(S.object(var(B))));
  S.unite(var(B), var(A).with(PathStep::element()));
  EXPECT_TRUE(S.isElement(S.object(var(B))));
}

TEST(AliasSets, InvalidPathsAliasNothing) {
  AliasSets S;
  EXPECT_NE(S.object(AccessPath::invalid()), S.object(AccessPath::invalid()));
}

} // namespace
} // namespace chanlint
