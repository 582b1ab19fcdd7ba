export function App() {
  return (
    <main className="w-80 p-4 font-sans">
      <h1 className="text-lg font-semibold">Functor</h1>
      <p className="text-sm text-gray-600">Onboarding, accounts and keys arrive with the next steps of issue 4.</p>
    </main>
  );
}
