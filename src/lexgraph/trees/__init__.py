"""Nested density trees over any matrix: the build's cluster tree, term trees and document trees."""
