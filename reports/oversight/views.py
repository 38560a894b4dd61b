def province(request):
    raise NotImplementedError
