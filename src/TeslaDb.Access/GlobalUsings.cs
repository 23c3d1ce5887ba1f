// linq2db's async extensions, imported explicitly: with .NET 10's System.Linq.AsyncEnumerable also in scope,
// ToListAsync and friends would otherwise be ambiguous (CS0411).
global using LinqToDB.Async;
