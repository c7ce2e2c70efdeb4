"""NFU benchmarking: a versioned Parquet export contract and a benchmark across institutions.

Entry points (nfu/README.md describes the contract, the benchmark and the NHS peers)::

    export_warehouse(root, institution, name, out, year=2024) -> ExportResult   # one UMC's export
    read_export(path) -> ExportFile            # read and check against contract.yaml
    run_benchmark(paths, out, factor_year=None, eric_path=None) -> BenchmarkRun
    import_eric(path) -> EricImport            # NHS ERIC general acute sites as peers

Data, not code: contract.yaml (columns, metadata keys, metrics, CO2e recompute pairs),
indicators.yaml (the benchmark's indicators), eric.yaml (the ERIC mapping and rules).
"""

from groendraad.nfu.check import ExportFile, read_export
from groendraad.nfu.contract import ContractError, load_contract
from groendraad.nfu.eric import EricImport, import_eric
from groendraad.nfu.export import ExportResult, export_warehouse
from groendraad.nfu.run import BenchmarkRun, run_benchmark

__all__ = [
    "BenchmarkRun",
    "ContractError",
    "EricImport",
    "ExportFile",
    "ExportResult",
    "export_warehouse",
    "import_eric",
    "load_contract",
    "read_export",
    "run_benchmark",
]
