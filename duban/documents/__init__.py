"""Documents that leave the system and the archive that keeps them (issue 10).

``xlsx`` and ``docx`` write spreadsheets and GB/T 9704 documents; ``forms`` fills every form of
supervision work from the record (one function per form); ``render`` turns a filled form into
.docx (preset layout or the organisation's own docxtpl template), HTML for the browser's print
and PDF (WeasyPrint, from the same HTML); ``services`` numbers issued documents, accepts
templates and seals archive volumes; ``archive`` builds a volume's ZIP and verifies chains."""
